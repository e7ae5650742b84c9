import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const run = (config: Record<string, unknown>, groups: string[] | undefined) => {
  const ctx = testContext();
  if (groups) ctx.consumer = { id: 'c', username: 'c', groups };
  create(schema.parse(config), testEnv()).access!(ctx);
  return ctx;
};

test('allow lets members through and sends their groups upstream', () => {
  const ok = run({ allow: ['admin'] }, ['admin', 'dev']);
  assert.equal(ok.exited, undefined);
  assert.equal(ok.reqHeaders.get('x-consumer-groups'), 'admin, dev');
  assert.equal(run({ allow: ['admin'] }, ['dev']).exited?.status, 403);
});

test('deny blocks members only; no consumer → 401', () => {
  assert.equal(run({ deny: ['banned'] }, ['banned']).exited?.status, 403);
  assert.equal(run({ deny: ['banned'] }, ['dev']).exited, undefined);
  assert.equal(run({ allow: ['x'] }, undefined).exited?.status, 401);
});

test('schema wants exactly one of allow and deny', () => {
  assert.equal(schema.safeParse({}).success, false);
  assert.equal(schema.safeParse({ allow: ['a'], deny: ['b'] }).success, false);
});
