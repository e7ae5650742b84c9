import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

test('a miss stores the body; the next identical request is a hit served here', () => {
  const p = create(schema.parse({ cache_ttl: 60 }), testEnv());
  const a = testContext({ path: '/items', query: 'page=1' });
  p.access!(a);
  assert.equal(a.resHeaders.get('x-cache-status'), 'Miss');
  a.setStatus(200);
  a.resHeaders.set('content-type', 'application/json; charset=utf-8');
  p.response!(a);
  assert.equal(a.collected.length, 1);
  a.collected[0]!(Buffer.from('{"items":[1]}'));
  const b = testContext({ path: '/items', query: 'page=1' });
  p.access!(b);
  assert.equal(b.exited?.status, 200);
  assert.equal(b.exited?.headers['X-Cache-Status'], 'Hit');
  assert.equal(String(b.exited?.body), '{"items":[1]}');
  const c = testContext({ path: '/items', query: 'page=2' });
  p.access!(c);
  assert.equal(c.exited, undefined, 'another query is another entry');
});

test('POST bypasses; uncacheable statuses and types are not stored', () => {
  const p = create(schema.parse({}), testEnv());
  const post = testContext({ method: 'POST' });
  p.access!(post);
  assert.equal(post.resHeaders.get('x-cache-status'), 'Bypass');
  const err = testContext({ path: '/e' });
  p.access!(err);
  err.setStatus(500);
  err.resHeaders.set('content-type', 'application/json');
  p.response!(err);
  assert.equal(err.collected.length, 0);
  assert.equal(err.resHeaders.get('x-cache-status'), 'Bypass');
});
