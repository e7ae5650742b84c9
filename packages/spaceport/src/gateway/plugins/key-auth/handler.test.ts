import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const env = testEnv([{ username: 'alice', keys: ['alice-key-123'] }, { username: 'anon' }]);
const make = (c: Record<string, unknown> = {}) => create(schema.parse(c), env);

test('a valid key in the apikey header authenticates the consumer', () => {
  const ctx = testContext({ headers: { apikey: 'alice-key-123' } });
  make().access!(ctx);
  assert.equal(ctx.exited, undefined);
  assert.equal(ctx.consumer?.username, 'alice');
  assert.equal(ctx.reqHeaders.get('x-consumer-username'), 'alice');
  assert.equal(ctx.reqHeaders.get('apikey'), 'alice-key-123', 'kept unless hide_credentials');
});

test('no key → 401 "No API key found in request"; a wrong key → 401 invalid credentials', () => {
  const a = testContext();
  make().access!(a);
  assert.deepEqual([a.exited?.status, a.exited?.body], [401, { message: 'No API key found in request' }]);
  const b = testContext({ headers: { apikey: 'wrong-key-000' } });
  make().access!(b);
  assert.deepEqual([b.exited?.status, b.exited?.body], [401, { message: 'Invalid authentication credentials' }]);
});

test('key in the query string, hidden from the upstream with hide_credentials', () => {
  const ctx = testContext({ query: 'apikey=alice-key-123&x=1' });
  make({ hide_credentials: true }).access!(ctx);
  assert.equal(ctx.consumer?.username, 'alice');
  assert.equal(ctx.request.rawQuery, 'x=1');
  const h = testContext({ headers: { apikey: 'alice-key-123' } });
  make({ hide_credentials: true }).access!(h);
  assert.equal(h.reqHeaders.has('apikey'), false);
});

test('key_in_query false ignores query keys; custom key_names', () => {
  const ctx = testContext({ query: 'apikey=alice-key-123' });
  make({ key_in_query: false }).access!(ctx);
  assert.equal(ctx.exited?.status, 401);
  const c2 = testContext({ headers: { 'x-api-key': 'alice-key-123' } });
  make({ key_names: ['x-api-key'] }).access!(c2);
  assert.equal(c2.consumer?.username, 'alice');
});

test('anonymous consumer instead of 401; an unknown anonymous fails at construction', () => {
  const ctx = testContext();
  make({ anonymous: 'anon' }).access!(ctx);
  assert.equal(ctx.exited, undefined);
  assert.equal(ctx.consumer?.username, 'anon');
  assert.equal(ctx.reqHeaders.get('x-anonymous-consumer'), 'true');
  assert.throws(() => make({ anonymous: 'ghost' }), /anonymous consumer "ghost" does not exist/);
});

test('schema rejects unknown fields and bad types', () => {
  assert.equal(schema.safeParse({ key_names: 'apikey' }).success, false);
  assert.equal(schema.safeParse({ nope: 1 }).success, false);
});
