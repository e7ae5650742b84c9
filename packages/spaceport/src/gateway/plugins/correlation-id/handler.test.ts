import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

test('generates distinct ids, keeps an incoming one, echoes when asked', () => {
  const p = create(schema.parse({ echo_downstream: true }), testEnv());
  const a = testContext();
  const b = testContext();
  p.access!(a);
  p.access!(b);
  const ida = a.reqHeaders.get('kong-request-id');
  assert.match(ida!, /^[0-9a-f-]{36}#\d+$/);
  assert.notEqual(ida, b.reqHeaders.get('kong-request-id'));
  assert.equal(a.resHeaders.get('kong-request-id'), ida);
  const c = testContext({ headers: { 'kong-request-id': 'mine' } });
  p.access!(c);
  assert.equal(c.reqHeaders.get('kong-request-id'), 'mine');
});

test('uuid generator and a custom header name', () => {
  const ctx = testContext();
  create(schema.parse({ header_name: 'X-Correlation', generator: 'uuid' }), testEnv()).access!(ctx);
  assert.match(ctx.reqHeaders.get('x-correlation')!, /^[0-9a-f-]{36}$/);
  assert.equal(ctx.resHeaders.size, 0);
});
