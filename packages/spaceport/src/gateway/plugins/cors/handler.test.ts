import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

test('preflight from an allowed origin is answered here with the allowed methods and headers', () => {
  const p = create(schema.parse({ origins: ['https://app.test', 'https://.*\\.example\\.com'], max_age: 600, credentials: true }), testEnv());
  const ctx = testContext({ method: 'OPTIONS', headers: { origin: 'https://a.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' } });
  p.access!(ctx);
  assert.equal(ctx.exited?.status, 200);
  const h = ctx.exited!.headers;
  assert.equal(h['Access-Control-Allow-Origin'], 'https://a.example.com');
  assert.match(h['Access-Control-Allow-Methods']!, /PUT/);
  assert.equal(h['Access-Control-Allow-Headers'], 'x-custom');
  assert.equal(h['Access-Control-Max-Age'], '600');
  assert.equal(h['Access-Control-Allow-Credentials'], 'true');
  assert.equal(h['Vary'], 'Origin');
});

test('a disallowed origin gets no CORS headers', () => {
  const p = create(schema.parse({ origins: ['https://app.test'] }), testEnv());
  const ctx = testContext({ headers: { origin: 'https://evil.test' } });
  p.access!(ctx);
  assert.equal(ctx.exited, undefined);
  assert.equal(ctx.resHeaders.size, 0);
  const pre = testContext({ method: 'OPTIONS', headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' } });
  p.access!(pre);
  assert.equal(pre.exited?.headers['Access-Control-Allow-Origin'], undefined);
});

test('simple requests get the origin header; * by default', () => {
  const ctx = testContext({ headers: { origin: 'https://x.test' } });
  create(schema.parse({ exposed_headers: ['X-Total'] }), testEnv()).access!(ctx);
  assert.equal(ctx.resHeaders.get('access-control-allow-origin'), '*');
  assert.equal(ctx.resHeaders.get('access-control-expose-headers'), 'X-Total');
});
