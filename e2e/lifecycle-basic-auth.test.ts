/**
 * basic-auth passwords in the lifecycle: the gateway's admin API shows only a salted hash of each, so a password
 * changed through the admin API is drift (undone by apply: the file's password works again), one changed in the
 * file is an update, and neither password ever appears in plan output or plan --json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, until } from './runtime-support.js';
import { admin, gatewayOf, getByHost, planJson, WEB } from './lifecycle-support.js';

const YAML = `name: ba
apps:
  web:
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      plugins:
        basic-auth: {}
      routes:
        root: { paths: [/api] }
  consumers:
    bob:
      basic: [{ username: bob, password: file-pass-1 }]
`;

test('basic-auth: a password changed through the admin API is drift, one changed in the file an update; never printed', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const gw = await gatewayOf(space);
  const call = (password: string) =>
    fetch(`http://127.0.0.1:${gw.listen}/api`, { headers: { authorization: `Basic ${Buffer.from(`bob:${password}`).toString('base64')}` } }).then((r) => r.status);
  assert.equal(await call('file-pass-1'), 200);
  assert.deepEqual((await planJson(space)).plan.changes, []);

  const listed = await admin<{ basic: { username: string; password_sha256?: string; password?: string }[] }>(gw, 'GET', '/consumers/bob');
  assert.equal(listed.body.basic[0]!.password, undefined, 'the admin API never shows the password');
  assert.match(listed.body.basic[0]!.password_sha256 ?? '', /^[0-9a-f]{64}$/);

  // Changed through the admin API: drift; apply puts the file's password back.
  const patched = await admin(gw, 'PATCH', '/consumers/bob', { basic: [{ username: 'bob', password: 'admin-pass-2' }] });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await until(async () => (await call('admin-pass-2')) === 200, 10_000, 'the admin API password to work');
  const drift = await planJson(space);
  assert.equal(drift.code, 2);
  assert.deepEqual(drift.plan.changes.map((c) => [c.address, c.action, c.drift]), [['gateway.consumers.bob', 'update', true]]);
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /# gateway\.consumers\.bob will be updated in place \(changed outside Spaceport\)/);
  for (const out of [text.stdout, JSON.stringify(drift.plan)]) {
    assert.doesNotMatch(out, /file-pass-1|admin-pass-2/);
    assert.doesNotMatch(out, /[0-9a-f]{64}/, 'not even the hash');
  }
  const adopt = await space.cli(['plan', '--adopt']);
  assert.doesNotMatch(adopt.stdout + adopt.stderr, /file-pass-1|admin-pass-2/);
  assert.equal(readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8'), YAML.replace('  listen: 127.0.0.1:0\n', '  listen: 127.0.0.1:0\n'), 'a password cannot be adopted: the file is unchanged');
  const undo = await space.cli(['apply', '--auto-approve']);
  assert.equal(undo.code, 0, undo.stdout + undo.stderr);
  assert.equal(await call('file-pass-1'), 200);
  assert.equal(await call('admin-pass-2'), 401);
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // Changed in the file: an update (not drift), applied.
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('file-pass-1', 'file-pass-3'));
  const update = await planJson(space);
  assert.deepEqual(update.plan.changes.map((c) => [c.address, c.action, c.drift]), [['gateway.consumers.bob', 'update', false]]);
  assert.doesNotMatch(JSON.stringify(update.plan) + (await space.cli(['plan'])).stdout, /file-pass-[13]/);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  assert.equal(await call('file-pass-3'), 200);
  assert.equal(await call('file-pass-1'), 401);
  assert.deepEqual((await planJson(space)).plan.changes, []);
});
