import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const env = testEnv([{ username: 'bob', basic: [['bob', 's3cret']] }]);
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

test('valid credentials authenticate; hide_credentials drops Authorization', () => {
  const ctx = testContext({ headers: { authorization: basic('bob', 's3cret') } });
  create(schema.parse({ hide_credentials: true }), env).access!(ctx);
  assert.equal(ctx.exited, undefined);
  assert.equal(ctx.consumer?.username, 'bob');
  assert.equal(ctx.reqHeaders.has('authorization'), false);
  assert.equal(ctx.reqHeaders.get('x-credential-identifier'), 'bob');
});

test('missing or wrong credentials → 401 with a Basic challenge', () => {
  const cases: Record<string, string>[] = [{}, { authorization: basic('bob', 'wrong') }, { authorization: 'Basic !!!' }];
  for (const headers of cases) {
    const ctx = testContext({ headers });
    create(schema.parse({}), env).access!(ctx);
    assert.equal(ctx.exited?.status, 401);
    assert.equal(ctx.exited?.headers['WWW-Authenticate'], 'Basic realm="service"');
  }
});
