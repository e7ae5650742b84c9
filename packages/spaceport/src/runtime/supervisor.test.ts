import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessSupervisor } from './supervisor.js';
import type { LogLine } from './log-line.js';
import { StateStore } from '../state/store.js';
import { groupAlive } from './proc-stat.js';
import { reapLeftovers } from './process-recorder.js';

function setup() {
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sup-'));
  const state = new StateStore(join(dir, '.spaceport'));
  const sup = new ProcessSupervisor({
    log: { write: (l: Omit<LogLine, 'time'>) => lines.push(`${l.source}[${l.dyno}]: ${l.message}`) },
    state,
    backoff: { baseMs: 200, maxMs: 1000, resetAfterMs: 60_000 },
  });
  const cleanup = async () => {
    sup.killAllNow();
    rmSync(dir, { recursive: true, force: true });
  };
  return { lines, sup, state, cleanup };
}
const spec = (cmd: string, extra: object = {}) => ({
  name: 'app:t:web.1', logApp: 't', logDyno: 'web.1', logSource: 'app' as const,
  command: 'sh', args: ['-c', cmd], cwd: tmpdir(), env: { PATH: process.env.PATH! }, stopTimeoutMs: 300, ...extra,
});
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('captures output line by line, long lines split at 10,000 bytes', async (t) => {
  const { lines, sup, cleanup } = setup();
  t.after(cleanup);
  const c = sup.start(spec(`printf 'one\\ntwo\\n'; head -c 25000 /dev/zero | tr '\\0' x; echo`, { restart: false }));
  await new Promise((r) => c.on('exit', r));
  await until(() => lines.some((l) => l.startsWith('spaceport[web.1]: Process exited with status 0')));
  assert.ok(lines.includes('app[web.1]: one') && lines.includes('app[web.1]: two'));
  const xs = lines.filter((l) => l.startsWith('app[web.1]: x')).map((l) => l.length - 'app[web.1]: '.length);
  assert.deepEqual(xs, [10000, 10000, 5000]);
  assert.ok(lines[0]!.includes("Starting process with command `printf"));
});

test('restarts a crashing child: first at once, then with growing back-off', async (t) => {
  const { sup, cleanup } = setup();
  t.after(cleanup);
  const starts: number[] = [];
  const delays: number[] = [];
  const c = sup.start(spec('exit 3'));
  c.on('spawn', () => starts.push(Date.now()));
  c.on('restart', (delay: number) => delays.push(delay));
  await until(() => starts.length >= 4);
  await c.stop();
  // The delays the supervisor chose are exact; the clock only bounds them from below (a loaded machine
  // slows spawning, so an upper bound on the gaps would measure the machine, not the back-off).
  assert.deepEqual(delays.slice(0, 3), [0, 200, 400], `first restart at once, then 200 and 400 ms: ${delays.join(',')}`);
  const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
  assert.ok(gaps[1]! >= 180 && gaps[2]! >= 380, `back-off grows: ${gaps.join(',')}`);
  assert.ok(c.restarts >= 3);
});

test('stop: SIGTERM grace, then SIGKILL with R12; the whole group dies and state is cleared', async (t) => {
  const { lines, sup, state, cleanup } = setup();
  t.after(cleanup);
  const c = sup.start(spec(`trap '' TERM; sleep 30 & sleep 30; wait`));
  await until(() => c.pid !== null);
  const pid = c.pid!;
  // The pid is recorded right after the spawn (its start time read from /proc first).
  await until(() => state.read().processes['app:t:web.1']?.pid === pid);
  const t0 = Date.now();
  await c.stop();
  assert.ok(Date.now() - t0 >= 290, 'waited the grace period');
  assert.ok(lines.some((l) => l.includes('Error R12 (Exit timeout)')));
  await until(() => !groupAlive(pid), 2000);
  assert.equal(state.read().processes['app:t:web.1'], undefined);
});

test('a graceful child exits on SIGTERM without R12', async (t) => {
  const { lines, sup, cleanup } = setup();
  t.after(cleanup);
  const c = sup.start(spec(`trap 'exit 0' TERM; while true; do sleep 0.05; done`, { stopTimeoutMs: 3000 }));
  await until(() => c.pid !== null);
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await c.stop();
  assert.ok(Date.now() - t0 < 1000);
  assert.ok(!lines.some((l) => l.includes('R12')));
});

test('reapLeftovers kills recorded groups that are still ours and skips reused pids', async (t) => {
  const { sup, state, cleanup } = setup();
  t.after(cleanup);
  const c = sup.start(spec('sleep 30', { restart: false }));
  await until(() => c.pid !== null);
  const pid = c.pid!;
  state.update((s) => {
    s.processes['bogus'] = { pid: process.pid, startTicks: 1, name: 'bogus' }; // our own pid, other start time
  });
  const killed = await reapLeftovers(state);
  assert.deepEqual(killed, ['app:t:web.1']);
  assert.equal(groupAlive(pid), false, 'reaping waits until the killed group is gone');
  assert.deepEqual(state.read().processes, {});
});
