import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const run = (config: Record<string, unknown>, ip: string) => {
  const ctx = testContext({ ip });
  create(schema.parse(config), testEnv()).access!(ctx);
  return ctx.exited?.status;
};

test('allow ranges let only their addresses through', () => {
  assert.equal(run({ allow: ['10.0.0.0/8', '127.0.0.1'] }, '10.2.3.4'), undefined);
  assert.equal(run({ allow: ['10.0.0.0/8', '127.0.0.1'] }, '127.0.0.1'), undefined);
  assert.equal(run({ allow: ['10.0.0.0/8'] }, '11.0.0.1'), 403);
});

test('deny wins over allow; IPv6 works', () => {
  assert.equal(run({ allow: ['10.0.0.0/8'], deny: ['10.0.0.5'] }, '10.0.0.5'), 403);
  assert.equal(run({ deny: ['::1'] }, '::1'), 403);
  assert.equal(run({ deny: ['::1'] }, '127.0.0.1'), undefined);
});

test('schema refuses malformed ranges with a clear message', () => {
  const r = schema.safeParse({ allow: ['10.0.0.0/40'] });
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r.error?.issues), /not an IP address or CIDR/);
});
