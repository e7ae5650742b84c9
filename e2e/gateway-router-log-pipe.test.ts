/**
 * Router lines of a lone worker reach the control plane over the router-log pipe (not relayed by the gateway's
 * main process), also after the worker crashed and was replaced; with two workers they go over IPC as before.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';

after(() => stopAll());

function workerPids(gw: Gateway): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(gw.proc.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function gateway(workers: number): Promise<Gateway> {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('api', 'api', {});
  e.services.push(x.service);
  e.routes.push(x.route);
  return startGateway({ entities: e, workers, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
}

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z router\[api\]: at=info method=GET path="\/(before|after)\/\d+" host=127\.0\.0\.1:\d+ request_id=\S+ fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=\d+ protocol=http$/;

test('one worker: its lines come over the pipe, whole, before and after it is killed and replaced', async () => {
  const gw = await gateway(1);
  for (let i = 0; i < 20; i++) assert.equal((await request(gw.port, `/before/${i}`)).status, 200);
  await gw.waitLog(/path="\/before\/19"/);
  const [pid] = workerPids(gw);
  assert.ok(pid, 'one worker');
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && !(workerPids(gw).length === 1 && workerPids(gw)[0] !== pid); i++) await new Promise((r) => setTimeout(r, 100));
  // The replacement serves once it has its config: retry until it answers.
  for (let i = 0; i < 100; i++) {
    const ok = await request(gw.port, '/after/0').then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let i = 1; i < 20; i++) assert.equal((await request(gw.port, `/after/${i}`)).status, 200);
  await gw.waitLog(/path="\/after\/19"/);
  assert.equal(gw.via.ipc, 0, 'no line relayed over IPC');
  assert.ok(gw.via.pipe >= 40, `lines over the pipe: ${gw.via.pipe}`);
  for (const l of gw.logs.filter((l) => l.includes('router['))) assert.match(l, LINE);
  for (let i = 0; i < 20; i++) assert.ok(gw.logs.some((l) => l.includes(`path="/before/${i}"`)), `line of /before/${i}`);
});

test('two workers: lines are relayed over IPC by the main process', async () => {
  const gw = await gateway(2);
  for (let i = 0; i < 10; i++) assert.equal((await request(gw.port, `/before/${i}`)).status, 200);
  // Each worker flushes its own batches (every 100 ms): wait for both.
  for (let i = 0; i < 40 && gw.via.ipc < 10; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(gw.via.pipe, 0);
  assert.equal(gw.via.ipc, 10);
});
