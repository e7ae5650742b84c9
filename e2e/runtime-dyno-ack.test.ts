/**
 * The acknowledged dyno table, end to end: a web dyno leaving a formation gets its SIGTERM only once every
 * gateway worker routes by the table that marks it `stopping` (a worker held with SIGSTOP holds the SIGTERM),
 * and a gateway or worker that is gone holds nothing (its exit releases the wait at once, not after the 5 s cap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace, until, type TestSpace } from './runtime-support.js';
import { getByHost, gatewayOf } from './lifecycle-support.js';

const YAML = `name: ack
apps:
  web:
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 2
`;

/** Times (ms) of the space log's lines for web.1 matching `re`. */
function times(space: TestSpace, re: RegExp): number[] {
  let text = '';
  try {
    text = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.includes(' spaceport[web.web.1]: ') && re.test(l))
    .map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
}

const SIGTERM = /Stopping all processes with SIGTERM/;
const STOPPING = /State changed from up to stopping/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

test('a stopping web dyno gets SIGTERM only once every gateway worker has the change; a gone gateway does not hold it', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': FIXTURES['web.mjs']! } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const gw = await gatewayOf(space);
  assert.equal((await getByHost(gw.listen, 'web.localhost')).status, 200);
  const main = space.state().processes['gateway:main']!.pid;
  const workers = execFileSync('pgrep', ['-P', String(main)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.equal(workers.length, 2);
  const held = workers[0]!;
  // A stopped worker must not outlive the test (SIGKILL works on a stopped process; its group is the gateway's).
  t.after(() => signal(held, 'SIGKILL'));

  // 1. One worker cannot apply the table: the old instance stays `stopping`, without SIGTERM, until it can.
  signal(held, 'SIGSTOP');
  const restart = space.cli(['restart', '-a', 'web'], { timeoutMs: 30_000 });
  await until(() => times(space, STOPPING).length === 1, 15_000, 'the old instance to be stopping');
  await sleep(1500);
  assert.deepEqual(times(space, SIGTERM), [], 'no SIGTERM while a worker may still route to the old instance');
  const resumed = Date.now();
  signal(held, 'SIGCONT');
  const r1 = await restart;
  assert.equal(r1.code, 0, r1.stderr);
  await until(() => times(space, SIGTERM).length === 1, 5000, 'the SIGTERM');
  const term = times(space, SIGTERM)[0]!;
  assert.ok(term >= resumed - 5, `SIGTERM at ${term}, the worker resumed at ${resumed}`);
  assert.ok(term - resumed < 4000, `SIGTERM ${term - resumed} ms after the worker resumed (the 5 s cap would be a miss)`);
  assert.equal((await getByHost(gw.listen, 'web.localhost')).status, 200);

  // 2. The gateway dies while a stop waits for it: nothing routes any more, so the SIGTERM follows at once.
  signal(held, 'SIGSTOP');
  const again = space.cli(['restart', '-a', 'web'], { timeoutMs: 30_000 });
  await until(() => times(space, STOPPING).length === 2, 15_000, 'the second old instance to be stopping');
  await sleep(300);
  assert.equal(times(space, SIGTERM).length, 1);
  const killed = Date.now();
  signal(main, 'SIGKILL');
  const r2 = await again;
  assert.equal(r2.code, 0, r2.stderr);
  await until(() => times(space, SIGTERM).length === 2, 5000, 'the second SIGTERM');
  const term2 = times(space, SIGTERM)[1]!;
  assert.ok(term2 - killed < 2000, `SIGTERM ${term2 - killed} ms after the gateway died (waited for the cap?)`);
  signal(held, 'SIGKILL');
  // The supervisor restarts the gateway (listen port 0: a fresh port), which gets the current table and routes to the new instance.
  const serves = async () => (await getByHost((await gatewayOf(space)).listen, 'web.localhost').catch(() => ({ status: 0 }))).status === 200;
  await until(serves, 15_000, 'the restarted gateway to serve');

  // 3. A worker that dies while the others have the change does not hold the SIGTERM (it routes nothing).
  const main2 = space.state().processes['gateway:main']!.pid;
  const held2 = Number(execFileSync('pgrep', ['-P', String(main2)], { encoding: 'utf8' }).trim().split('\n')[0]);
  t.after(() => signal(held2, 'SIGKILL'));
  signal(held2, 'SIGSTOP');
  const third = space.cli(['restart', '-a', 'web'], { timeoutMs: 30_000 });
  await until(() => times(space, STOPPING).length === 3, 15_000, 'the third old instance to be stopping');
  await sleep(300);
  assert.equal(times(space, SIGTERM).length, 2);
  const died = Date.now();
  signal(held2, 'SIGKILL');
  assert.equal((await third).code, 0);
  await until(() => times(space, SIGTERM).length === 3, 5000, 'the third SIGTERM');
  assert.ok(times(space, SIGTERM)[2]! - died < 2000, `SIGTERM ${times(space, SIGTERM)[2]! - died} ms after the held worker died`);
  await until(serves, 15_000, 'the gateway to serve with a replaced worker');
});
