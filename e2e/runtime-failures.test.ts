import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, alive, makeSpace, ps, until } from './runtime-support.js';

test('a crashing dyno restarts with back-off (first at once, then slower); up -d says why it failed', async (t) => {
  const space = makeSpace(t, `name: crash\napps:\n  c:\n    processes: { web: node crash.mjs }\n`, { c: { 'crash.mjs': FIXTURES['crash.mjs']! } });
  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /up failed: c web\.1 crashed: exited with status 1/);
  assert.match(up.stderr, /The space keeps running/);
  await until(async () => (await ps(space, 'c'))[0]!.restarts >= 3, 10_000, '3 restarts');
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  assert.match(log, /spaceport\[c\.web\.1\]: Process exited with status 1\n.*spaceport\[c\.web\.1\]: State changed from starting to crashed/);
  assert.match(log, /State changed from crashed to starting/);
  const starts = [...log.matchAll(/^(\S+) spaceport\[c\.web\.1\]: Starting process/gm)].map((m) => Date.parse(m[1]!));
  const exits = [...log.matchAll(/^(\S+) spaceport\[c\.web\.1\]: Process exited/gm)].map((m) => Date.parse(m[1]!));
  assert.ok(starts[1]! - exits[0]! < 500, `first restart immediate (${starts[1]! - exits[0]!}ms)`);
  assert.ok(starts[2]! - exits[1]! >= 900, `second restart after ~1s (${starts[2]! - exits[1]!}ms)`);
});

test('R10: a web dyno that does not bind PORT within boot_timeout is killed; up -d exits 1 saying so', async (t) => {
  const space = makeSpace(t, `name: r10\napps:\n  n:\n    boot_timeout: 1s\n    processes: { web: node nobind.mjs }\n`, { n: { 'nobind.mjs': FIXTURES['nobind.mjs']! } });
  const t0 = Date.now();
  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 1);
  assert.ok(Date.now() - t0 >= 1000);
  assert.match(up.stderr, /n web\.1 crashed: R10 boot timeout: web process failed to bind to \$PORT within 1 seconds of launch/);
  const logs = (await space.cli(['logs', '-a', 'n'])).stdout;
  assert.match(logs, /spaceport\[n\.web\.1\]: Error R10 \(Boot timeout\) -> Web process failed to bind to \$PORT within 1 seconds of launch/);
  assert.match(logs, /spaceport\[n\.web\.1\]: Stopping process with SIGKILL/);
  assert.match(logs, /Process exited with status 137/);
});

test('stop: SIGTERM, then SIGKILL after stop_timeout with R12', async (t) => {
  const space = makeSpace(t, `name: stub\napps:\n  s:\n    stop_timeout: 1s\n    processes: { web: node stubborn.mjs }\n`, { s: { 'stubborn.mjs': FIXTURES['stubborn.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const pid = (await ps(space))[0]!.pid!;
  const t0 = Date.now();
  assert.equal((await space.cli(['down'])).code, 0);
  const took = Date.now() - t0;
  assert.ok(took >= 1000, `waited the grace period (${took}ms)`);
  assert.equal(alive(pid), false);
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  assert.match(log, /app\[s\.web\.1\]: ignoring SIGTERM/);
  assert.match(log, /spaceport\[s\.web\.1\]: Error R12 \(Exit timeout\) -> At least one process failed to exit within 1 seconds of SIGTERM/);
});

test('a failing release phase keeps the previous release running; a failing first release or build stops up', async (t) => {
  const yaml = `name: rel\napps:\n  r:\n    processes: { web: node web.mjs, release: node release.mjs }\n`;
  const space = makeSpace(t, yaml, { r: { 'web.mjs': FIXTURES['web.mjs']!, 'release.mjs': FIXTURES['release.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const v1 = (await ps(space))[0]!;
  const set = await space.cli(['config:set', 'FAIL_RELEASE=1', '-a', 'r']);
  assert.equal(set.code, 1);
  assert.match(set.stderr, /release v2 of r failed: the release phase \(`node release\.mjs`\) exited with status 3.*v1 keeps running/);
  const now = (await ps(space))[0]!;
  assert.equal(now.pid, v1.pid);
  assert.equal(now.release, 'v1');
  const rels = JSON.parse((await space.cli(['releases', '--json', '-a', 'r'])).stdout) as { version: string; status: string; current: boolean }[];
  assert.deepEqual(rels.map((r) => [r.version, r.status, r.current]), [['v2', 'failed', false], ['v1', 'succeeded', true]]);
  assert.equal((await space.cli(['config', '--json', '-a', 'r'])).code, 0);
  assert.equal((await space.cli(['down'])).code, 0);

  const fresh = makeSpace(t, `name: rel2\napps:\n  r:\n    env: { FAIL_RELEASE: "1" }\n    processes: { web: node web.mjs, release: node release.mjs }\n`, { r: { 'web.mjs': FIXTURES['web.mjs']!, 'release.mjs': FIXTURES['release.mjs']! } });
  const up = await fresh.cli(['up', '-d']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /release v1 of r failed/);
  assert.equal((await fresh.cli(['ps'])).code, 1, 'the control plane stopped');

  const build = makeSpace(t, `name: b\napps:\n  b:\n    build: echo compiling; exit 2\n    processes: { web: node web.mjs }\n`, { b: { 'web.mjs': FIXTURES['web.mjs']! } });
  const bu = await build.cli(['up', '-d']);
  assert.equal(bu.code, 1);
  assert.match(bu.stderr, /build of b failed \(`echo compiling; exit 2` exited with status 2\)/);
  assert.match(readFileSync(join(build.dir, '.spaceport', 'logs', 'space.log'), 'utf8'), /app\[b\.build\]: compiling/);
});

test('up stops on config errors and prints every diagnostic with file:line:column', async (t) => {
  const space = makeSpace(t, `name: diag\napps:\n  a:\n    procesess: { web: node web.mjs }\n    scale: { web: -1 }\n`, { a: {} });
  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 1);
  assert.match(up.stderr, /spaceport\.yaml:4:5: error: apps\.a/);
  assert.match(up.stderr, /spaceport\.yaml:5:\d+: error: apps\.a\.scale\.web/);
  assert.match(up.stderr, /errors in .*spaceport\.yaml; fix them and run up again/);
});

test('up of a space whose changed release fails exits 1 saying the previous release runs (it said "is up", exit 0)', async (t) => {
  const yaml = (env: string) => `name: rel3\napps:\n  r:\n    env: { ${env} }\n    processes: { web: node web.mjs, release: node release.mjs }\n`;
  const space = makeSpace(t, yaml('GREETING: hi'), { r: { 'web.mjs': FIXTURES['web.mjs']!, 'release.mjs': FIXTURES['release.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  assert.equal((await space.cli(['down'])).code, 0);
  // The file changes while the space is down: the next up makes a release, whose phase fails.
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('GREETING: hi', 'GREETING: hi, FAIL_RELEASE: "1"'));
  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 1, up.stderr);
  assert.match(up.stderr, /up failed: release v2 of r \(Deploy \w+\) failed: its release phase exited non-zero, so v1, the release from before this change, keeps running; see `spaceport logs -a r -d release`\n  its last output:\n    release phase\n/);
  assert.match(up.stderr, /The space keeps running with the previous release: fix the release phase, then `spaceport apply`/);
  assert.doesNotMatch(up.stderr, /is up/);
  const dynos = await ps(space, 'r');
  assert.deepEqual(dynos.map((d) => [d.dyno, d.state, d.release]), [['web.1', 'up', 'v1']]);
  // Fixed in the file, apply releases it.
  writeFileSync(file, readFileSync(file, 'utf8').replace(', FAIL_RELEASE: "1"', ', GREETING2: yo'));
  const apply = await space.cli(['apply', '--auto-approve']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.equal((await ps(space, 'r'))[0]!.release, 'v3');
});
