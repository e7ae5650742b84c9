/** config:set refuses what could not work: a name env: cannot hold, a variable the platform sets on every dyno. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, FIXTURES } from './runtime-support.js';

test('config:set PORT=... (or DYNO, APP_NAME, INTERNAL_API_KEY) and a malformed name are refused, before any release; a failed release phase is quoted', async (t) => {
  const space = makeSpace(t, `name: c\napps:\n  c:\n    processes: { web: node web.mjs, release: node release.mjs }\n`, {
    c: { 'web.mjs': FIXTURES['web.mjs']!, 'release.mjs': FIXTURES['release.mjs']! },
  });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const port = await space.cli(['config:set', 'PORT=3000', '-a', 'c']);
  assert.equal(port.code, 1);
  assert.match(port.stderr, /^spaceport: PORT is set by the platform for every dyno and a config var cannot override it/m);
  const bad = await space.cli(['config:set', 'MY-VAR=1', '-a', 'c']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^spaceport: MY-VAR: config var names are letters, digits and _, not starting with a digit$/m);
  const releases = await space.cli(['releases', '--json']);
  assert.equal((JSON.parse(releases.stdout) as unknown[]).length, 1, 'no release was made');
  const ok = await space.cli(['config:set', 'GREETING=hi', '-a', 'c']);
  assert.equal(ok.code, 0, ok.stderr);
  // config:get, as on Heroku: the value alone for scripts, an empty line for a var that is not set.
  assert.deepEqual(await space.cli(['config:get', 'GREETING', '-a', 'c']), { code: 0, stdout: 'hi\n', stderr: '' });
  assert.deepEqual(await space.cli(['config:get', 'NOPE', '-a', 'c']), { code: 0, stdout: '\n', stderr: '' });
  // a failing release phase: the reason quotes its output, as up does
  const failing = await space.cli(['config:set', 'FAIL_RELEASE=1', '-a', 'c']);
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /release v3 of c failed: .*; see `spaceport logs -a c -d release`; v2 keeps running\n {2}its last output:\n {4}release phase\n/);
  assert.doesNotMatch(failing.stderr, /release phase\n {4}release phase/, "only this release's run is quoted, not v1's and v2's as well");
  // v2 keeps running, and so do its config vars: config shows what runs, and the next change does not carry the
  // refused value along (it used to, so every later config:set failed the same release phase).
  assert.deepEqual(JSON.parse((await space.cli(['config', '--json', '-a', 'c'])).stdout), { GREETING: 'hi' });
  const next = await space.cli(['config:set', 'OTHER=1', '-a', 'c']);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(JSON.parse((await space.cli(['config', '--json', '-a', 'c'])).stdout), { GREETING: 'hi', OTHER: '1' });
});

test('up on a running space (the user edited the file) points at apply, not only at down', async (t) => {
  const space = makeSpace(t, `name: u\napps:\n  u:\n    processes: { web: node web.mjs }\n`, { u: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const again = await space.cli(['up', '-d']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is already running; `spaceport apply` makes it match spaceport\.yaml \(after an edit\), `spaceport down` stops it/);
  const fg = await space.cli(['up']);
  assert.equal(fg.code, 1);
  assert.match(fg.stderr, /already running \(control plane pid \d+\); `spaceport apply` makes it match spaceport\.yaml, `spaceport down` stops it/);
  // logs -a with a name that is neither an app nor a platform component in the stream: said, not an empty output
  const nope = await space.cli(['logs', '-a', 'nope']);
  assert.equal(nope.code, 1);
  assert.match(nope.stderr, /^spaceport: no app named nope in this space; apps: u$/m);
  const gw = await space.cli(['logs', '-a', 'gateway', '-n', '1']);
  assert.equal(gw.code, 0, gw.stderr);
  assert.match(gw.stdout, /spaceport\[gateway\.gateway\]/);
});

test('apply of an app whose build fails quotes the build output in its failure line', async (t) => {
  const space = makeSpace(t, `name: ap\napps:\n  a:\n    processes: { web: node web.mjs }\ngateway:\n  listen: 0\n`, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  mkdirSync(join(space.dir, 'b'));
  writeFileSync(join(space.dir, 'b', 'web.mjs'), FIXTURES['web.mjs']!);
  const b = `  b:\n    build: "echo 'webpack: command not found' >&2; exit 127"\n    processes: { web: node web.mjs }\n`;
  writeFileSync(join(space.dir, 'spaceport.yaml'), `name: ap\napps:\n  a:\n    processes: { web: node web.mjs }\n${b}gateway:\n  listen: 0\n`);
  const apply = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(apply.code, 1, apply.stdout + apply.stderr);
  assert.match(apply.stdout + apply.stderr, /build of b failed \(.*exited with status 127\); see `spaceport logs -a b -d build`\n {2}its last output:\n {4}webpack: command not found/);
});
