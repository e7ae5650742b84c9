/**
 * What a user meets once a space has stopped: a failed `up` points at `spaceport logs ...` for the reason, so
 * that command must still answer from the space's log file (it said "not running" before).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupMembers, makeSpace, FIXTURES, runCli, until, type TestSpace } from './runtime-support.js';

test('after a failed build stops the space, the `spaceport logs` command up names shows the build output', async (t) => {
  const space = makeSpace(t, `name: b\napps:\n  b:\n    build: \"echo compiling; echo 'tsc: not found' >&2; exit 2\"\n    processes: { web: node web.mjs }\n`, {
    b: { 'web.mjs': FIXTURES['web.mjs']! },
  });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 1);
  const hint = /see `spaceport (logs [^`]+)`/.exec(up.stderr);
  assert.ok(hint, `up names a logs command:\n${up.stderr}`);
  assert.match(up.stderr, /`\n {2}its last output:\n {4}compiling\n {4}tsc: not found\n/, 'and quotes the build output');
  const logs = await space.cli(hint[1]!.split(' '));
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stderr, /The space is not running; the last lines of .*space\.log/);
  assert.match(logs.stdout, /app\[b\.build\]: compiling\n.*app\[b\.build\]: tsc: not found\n/);
  assert.match(logs.stdout, /spaceport\[b\.build\]: Build failed with status 2/);
  assert.doesNotMatch(logs.stdout, /control-plane/, 'the -a/-d filter applies to the file too');

  const json = await space.cli(['logs', '-n', '2', '--json', '-s', 'spaceport']);
  assert.equal(json.code, 0, json.stderr);
  const items = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: string; app: string; dyno: string; message: string });
  assert.equal(items.length, 2);
  const { source, app, dyno, message } = items.at(-1)!;
  assert.deepEqual({ source, app, dyno, message }, { source: 'spaceport', app: '', dyno: 'control-plane', message: 'Space stopped' });

  const follow = await space.cli(['logs', '-t']);
  assert.equal(follow.code, 1, 'following needs a running space');
  assert.match(follow.stderr, /is not running; start it with `spaceport up -d`/);
});

/**
 * A SIGKILLed control plane's gateway stops on its own (its IPC channel closes) within a second or two; its dynos
 * keep running until down, up or destroy reaps them. How many groups a command then finds depends on that race
 * (it once said 1 where the test expected 2, at load 10), so the tests wait for the gateway's exit first.
 */
async function gatewayGone(space: TestSpace): Promise<void> {
  const gw = space.state().processes['gateway:main'];
  assert.ok(gw, 'the gateway was recorded');
  await until(() => groupMembers(gw.pid).length === 0, 15_000, 'the gateway to stop on its own after the control plane died');
}

test('destroy: nothing recorded is nothing to do; else it asks in its own name (it said "apply needs approval"), and stops what a killed control plane left', async (t) => {
  const space = makeSpace(t, `name: d\napps:\n  d:\n    processes: { web: node web.mjs }\n`, { d: { 'web.mjs': FIXTURES['web.mjs']! } });
  const fresh = await space.cli(['destroy']);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(fresh.stdout, /is not running: 0 recorded resource\(s\) will be forgotten\.\nNothing to destroy\.\n$/);
  assert.equal(existsSync(join(space.dir, '.spaceport', 'state.json')), false, 'no state written for nothing');
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const dyno = space.state().processes;
  process.kill(space.state().controlPlane!.pid, 'SIGKILL');
  await gatewayGone(space);
  const r = await space.cli(['destroy']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^spaceport: destroy needs approval: run it on a terminal, or pass --auto-approve$/m);
  const yes = await space.cli(['destroy', '--auto-approve']);
  assert.equal(yes.code, 0, yes.stderr);
  assert.match(yes.stdout, /Killed 1 process group\(s\) a stopped control plane left behind: app:d:web\.1\n/);
  // A killed process waits as a zombie until init reaps it (up to a second here): gone means no member runs.
  for (const rec of Object.values(dyno)) assert.deepEqual(groupMembers(rec.pid), [], 'no process outlives destroy');
});

test('after the control plane was SIGKILLed, commands say its dynos still run and how to stop them (not just "not running")', async (t) => {
  const space = makeSpace(t, `name: k\napps:\n  k:\n    processes: { web: node web.mjs }\n`, { k: { 'web.mjs': FIXTURES['web.mjs']! } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  process.kill(space.state().controlPlane!.pid, 'SIGKILL');
  await until(async () => (await space.cli(['ps'])).code === 1, 5000, 'the socket to stop answering');
  await gatewayGone(space);
  const ps = await space.cli(['ps']);
  assert.match(ps.stderr, /the control plane of the space in .* is not running \(was it killed\?\), but 1 process group\(s\) it started still run \(app:k:web\.1\); `spaceport down` stops them/);
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  const after = await space.cli(['ps']);
  assert.match(after.stderr, /^spaceport: the space in .* is not running; start it with `spaceport up -d`$/m);
});

test('run above a running space (the repo root after npm start), a command names where the space is', async (t) => {
  const space = makeSpace(t, `name: r\napps:\n  r:\n    processes: { web: node web.mjs }\n`, { r: { 'web.mjs': FIXTURES['web.mjs']! } });
  const parent = mkdtempSync(join(tmpdir(), 'sp-above-'));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  symlinkSync(space.dir, join(parent, 'examples'));
  const before = await runCli(parent, ['ps']);
  assert.match(before.stderr, /^spaceport: no spaceport\.yaml here or in any parent directory; cd into a space or pass -f FILE$/m, 'nothing runs yet');
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const ps = await runCli(parent, ['ps']);
  assert.equal(ps.code, 1);
  assert.match(ps.stderr, /^spaceport: no spaceport\.yaml here or in any parent directory; a space runs in examples: cd there or pass -f examples\/spaceport\.yaml$/m);
  const withF = await runCli(parent, ['ps', '-f', 'examples/spaceport.yaml']);
  assert.equal(withF.code, 0, withF.stderr);
});

test('down names the dyno it waits for when one ignores SIGTERM (the wait is its whole stop_timeout)', async (t) => {
  const space = makeSpace(t, `name: s\napps:\n  s:\n    processes: { web: node web.mjs }\n    stop_timeout: 4s\n`, { s: { 'web.mjs': FIXTURES['stubborn.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /^Stopping the space\.\.\.\nWaiting for s\/web\.1 to exit after SIGTERM \(SIGKILL once its stop_timeout is over: R12\)\.\.\.\nStopped\.$/m);
});

test('down of a space that is not running is done already: exit 0, "nothing to stop" (it failed, and said to start it)', async (t) => {
  const space = makeSpace(t, `name: idle\napps:\n  w:\n    processes: { web: node web.mjs }\n`, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  const never = await space.cli(['down']);
  assert.equal(never.code, 0, never.stderr);
  assert.match(never.stderr, /^The space in .* is not running: nothing to stop\.$/m);
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await space.cli(['down'])).code, 0);
  const again = await space.cli(['down']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /nothing to stop/);
});
