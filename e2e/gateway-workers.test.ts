/** Several workers share the listener; a worker that dies is replaced while the others keep serving. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';

let gw: Gateway;

function workerPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(gw.proc.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

before(async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('api', 'api', {});
  e.services.push(x.service);
  e.routes.push(x.route);
  gw = await startGateway({ entities: e, workers: 2, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
});
after(() => stopAll());

test('two workers serve; killing one loses no new request and it is replaced', async () => {
  const pids = workerPids();
  assert.equal(pids.length, 2, `workers: ${pids.join(',')}`);
  for (let i = 0; i < 10; i++) assert.equal((await request(gw.port, '/x')).status, 200);
  process.kill(pids[0]!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 20; i++) assert.equal((await request(gw.port, '/x')).status, 200);
  for (let i = 0; i < 100 && !(workerPids().length === 2 && !workerPids().includes(pids[0]!)); i++) await new Promise((r) => setTimeout(r, 100));
  const next = workerPids();
  assert.equal(next.length, 2);
  assert.ok(!next.includes(pids[0]!), 'a new worker replaced the dead one');
  // The new worker got the config: requests keep working whichever worker accepts them.
  for (let i = 0; i < 20; i++) assert.equal((await request(gw.port, '/x')).status, 200);
});
