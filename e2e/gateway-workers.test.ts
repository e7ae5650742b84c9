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
  const limited = appService('limited', 'api', { paths: ['/limited'] });
  e.services.push(x.service, limited.service);
  e.routes.push(x.route, limited.route);
  e.plugins.push({ id: 'rl', name: 'rate-limiting', config: { minute: 5, limit_by: 'ip' }, route: limited.route.id, enabled: true });
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

test('rate limits are node-wide: the workers share their counters', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    // A fresh connection each time, so the kernel hands requests to either worker; spaced past a sync.
    statuses.push((await request(gw.port, '/limited/x')).status);
    await new Promise((r) => setTimeout(r, 120));
  }
  // The minute may turn during the test; then the count restarts and more pass.
  assert.ok(statuses.filter((s) => s === 200).length <= 10);
  const first429 = statuses.indexOf(429);
  if (new Date().getSeconds() > 3) {
    assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(','));
    assert.equal(first429, 5);
  }
});
