/**
 * `listen: 0` (any free port) with one worker: when the worker dies, its replacement listens on the port the
 * gateway reported, not on a new one (cluster closes the shared handle with its last worker), and later configs
 * (which still say 0) keep it there. With two workers, a replacement asks for port 0 again and shares the handle
 * the other still holds (asking for the reported port itself was EADDRINUSE: 'config rejected').
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
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

/** Pids among `pids` holding the loopback listening socket of `port` (from /proc/net/tcp and /proc/PID/fd). */
function listenersOf(port: number, pids: number[]): number[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]!);
  }
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

test('two workers on any free port: a replaced worker shares the listening socket the other still holds', async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('api', 'api', {});
  e.services.push(x.service);
  e.routes.push(x.route);
  const gw = await startGateway({ entities: e, workers: 2, anyPort: true, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
  let pids: number[] = [];
  for (let i = 0; i < 100 && listenersOf(gw.port, (pids = workerPids(gw))).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(listenersOf(gw.port, pids).length, 2, 'both workers listen on the reported port');
  process.kill(pids[0]!, 'SIGKILL');
  let replaced: number | undefined;
  for (let i = 0; i < 150 && replaced === undefined; i++) {
    await new Promise((r) => setTimeout(r, 100));
    replaced = listenersOf(gw.port, workerPids(gw)).find((p) => !pids.includes(p));
  }
  assert.ok(replaced, `the replacement listens on the reported port ${gw.port}; gateway said: ${gw.logs.filter((l) => l.startsWith('warn')).join(' | ')}`);
  assert.deepEqual(gw.logs.filter((l) => l.includes('config rejected')), []);
  for (let i = 0; i < 5; i++) assert.ok(await ok(gw.port, `/two/${i}`));
});
