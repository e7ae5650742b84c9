import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../state/store.js';
import { spawn } from 'node:child_process';
import { ProcessRecorder, reapLeftovers } from './process-recorder.js';
import { groupAlive, groupRunning, isStillOurs } from './proc-stat.js';

test('records wait while state.json is spoilt (one warning, no throw) and land in order once it is readable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recorder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = new StateStore(join(dir, '.spaceport'));
  state.update(() => {});
  const good = readFileSync(state.file, 'utf8');
  writeFileSync(state.file, '{ spoilt by hand');
  const warnings: string[] = [];
  const rec = new ProcessRecorder(state, (m) => warnings.push(m), 50);
  rec.add('app:t:web.1', 4242, 7); // flushed at the end of this turn: it used to throw there (uncaught)
  rec.add('app:t:worker.1', 4343, 8);
  await new Promise((r) => setTimeout(r, 120)); // two retries, still spoilt
  assert.doesNotThrow(() => rec.flush());
  rec.remove('app:t:worker.1', 4343);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /cannot record process ids in the state: cannot read .*state\.json.*state\.json\.backup.*Retrying every 0\.05 s/);
  writeFileSync(state.file, good);
  const end = Date.now() + 2000;
  while (warnings.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.equal(warnings[1], 'The state is readable again: process ids recorded');
  assert.deepEqual(state.refresh().processes, { 'app:t:web.1': { pid: 4242, startTicks: 7, name: 'app:t:web.1' } });
});

test('reapLeftovers neither counts nor waits for a group whose members have all exited but wait to be reaped (zombies)', async (t) => {
  // A process group leader whose parent does not reap it, as a gateway whose control plane was SIGKILLed waits
  // for init: `setsid` makes it a group of its own, it exits soon, and its parent (exec'd into sleep) never waits.
  // It exits only once the parent has exec'd: a background job that ends while its shell still runs can be reaped
  // by that shell (dash does), and /proc/<pid> was gone (the test failed 1 run in 3 alone at load 11).
  const holder = spawn('sh', ['-c', "setsid sh -c 'sleep 0.5; exit 0' & echo $!; exec sleep 30"], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => holder.kill('SIGKILL'));
  const pid = Number(await new Promise<string>((r) => holder.stdout!.once('data', (b: Buffer) => r(b.toString()))));
  const end = Date.now() + 10_000;
  while (!/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.equal(groupAlive(pid), true, 'kill(-pgid, 0) still finds the zombie group');
  assert.equal(groupRunning(pid), false);
  assert.equal(isStillOurs({ pid, startTicks: 1 }), false);

  const dir = mkdtempSync(join(tmpdir(), 'recorder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = new StateStore(join(dir, '.spaceport'));
  state.update((s) => {
    s.processes['gateway:main'] = { pid, startTicks: 1, name: 'gateway:main' };
  });
  const t0 = Date.now();
  assert.deepEqual(await reapLeftovers(state, 3000), [], 'nothing was killed: it had exited');
  assert.ok(Date.now() - t0 < 1000, 'and no wait for init to reap it');
  assert.deepEqual(state.read().processes, {});
});
