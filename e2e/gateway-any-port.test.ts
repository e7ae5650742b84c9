/**
 * `listen: 0` (any free port) with one worker: when the worker dies, its replacement listens on the port the
 * gateway reported, not on a new one (cluster closes the shared handle with its last worker), and later configs
 * (which still say 0) keep it there.
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

const ok = (port: number, path: string) => request(port, path).then((r) => r.status === 200, () => false);

test('one worker on any free port: a replaced worker and a new config keep the reported port', async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('api', 'api', {});
  e.services.push(x.service);
  e.routes.push(x.route);
  const gw = await startGateway({ entities: e, workers: 1, anyPort: true, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
  assert.notEqual(gw.port, 0);
  assert.ok(await ok(gw.port, '/before'));
  const [pid] = workerPids(gw);
  process.kill(pid!, 'SIGKILL');
  let served = false;
  for (let i = 0; i < 150 && !served; i++) {
    await new Promise((r) => setTimeout(r, 100));
    served = workerPids(gw).some((p) => p !== pid) && (await ok(gw.port, '/after'));
  }
  assert.ok(served, `the replacement serves on port ${gw.port}`);
  // A new config from the control plane still says port 0: the listener stays where it is.
  const c = { ...gw.config, entities: { ...gw.config.entities, services: [{ ...x.service, retries: 3 }] } };
  await gw.setConfig(c);
  for (let i = 0; i < 5; i++) assert.ok(await ok(gw.port, `/config/${i}`));
});
