import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

test('response headers are removed, renamed, replaced, added and appended', () => {
  const ctx = testContext();
  ctx.response.setHeader('server', 'secret-stack');
  ctx.response.setHeader('x-old', 'v');
  ctx.response.setHeader('cache-control', 'no-cache');
  create(
    schema.parse({
      remove: { headers: ['server'] },
      rename: { headers: ['x-old:x-new'] },
      replace: { headers: ['cache-control:max-age=5'] },
      add: { headers: ['x-frame-options:DENY'] },
      append: { headers: ['vary:accept'] },
    }),
    testEnv(),
  ).response!(ctx);
  assert.deepEqual(Object.fromEntries(ctx.resHeaders), { 'x-new': 'v', 'cache-control': 'max-age=5', 'x-frame-options': 'DENY', vary: 'accept' });
});
