import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const make = (c: Record<string, unknown>) => create(schema.parse(c), testEnv());

test('counts per IP within the minute, with Kong headers, then 429 with Retry-After', () => {
  const p = make({ minute: 2, hour: 10, limit_by: 'ip' });
  const a = testContext({ ip: '10.0.0.1' });
  p.access!(a);
  assert.equal(a.exited, undefined);
  assert.equal(a.resHeaders.get('x-ratelimit-limit-minute'), '2');
  assert.equal(a.resHeaders.get('x-ratelimit-remaining-minute'), '1');
  assert.equal(a.resHeaders.get('x-ratelimit-limit-hour'), '10');
  assert.equal(a.resHeaders.get('x-ratelimit-remaining-hour'), '9');
  assert.equal(a.resHeaders.get('ratelimit-limit'), '2');
  assert.equal(a.resHeaders.get('ratelimit-remaining'), '1');
  const reset = Number(a.resHeaders.get('ratelimit-reset'));
  assert.ok(reset >= 1 && reset <= 60);
  p.access!(testContext({ ip: '10.0.0.1' }));
  const c = testContext({ ip: '10.0.0.1' });
  p.access!(c);
  assert.equal(c.exited?.status, 429);
  assert.deepEqual(c.exited?.body, { message: 'API rate limit exceeded' });
  assert.ok(Number(c.exited?.headers['Retry-After']) >= 1);
  assert.equal(c.exited?.headers['RateLimit-Remaining'], '0');
  const other = testContext({ ip: '10.0.0.2' });
  p.access!(other);
  assert.equal(other.exited, undefined, 'another IP has its own counter');
});

test('limit_by consumer falls back to the IP without a consumer', () => {
  const p = make({ second: 1 });
  const a = testContext({ ip: '1.1.1.1' });
  a.consumer = { id: 'c1', username: 'c1', groups: [] };
  p.access!(a);
  const b = testContext({ ip: '1.1.1.1' });
  b.consumer = { id: 'c2', username: 'c2', groups: [] };
  p.access!(b);
  assert.equal(b.exited, undefined, 'different consumers, same IP');
  const c = testContext({ ip: '1.1.1.1' });
  c.consumer = { id: 'c1', username: 'c1', groups: [] };
  p.access!(c);
  assert.equal(c.exited?.status, 429);
});

test('limit_by header; hide_client_headers', () => {
  const p = make({ minute: 1, limit_by: 'header', header_name: 'X-Tenant', hide_client_headers: true });
  const a = testContext({ headers: { 'x-tenant': 't1' } });
  p.access!(a);
  assert.equal(a.resHeaders.size, 0);
  p.access!(testContext({ headers: { 'x-tenant': 't2' } }));
  const c = testContext({ headers: { 'x-tenant': 't1' } });
  p.access!(c);
  assert.equal(c.exited?.status, 429);
});

test('schema: at least one limit; header_name with limit_by header', () => {
  assert.match(JSON.stringify(schema.safeParse({}).error?.issues), /at least one limit/);
  assert.equal(schema.safeParse({ minute: 1, limit_by: 'header' }).success, false);
  assert.equal(schema.safeParse({ minute: -1 }).success, false);
});
