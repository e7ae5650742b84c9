/** Upstream behaviour with real backends: balancing, retries, passive and active health, WebSockets, rolling restarts. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import type { DynoTarget } from '../packages/spaceport/src/gateway/entities.js';
import { appService, emptyEntities, freePort, request, startBackend, startGateway, stopAll, type Backend, type Gateway } from './gateway-support.js';

let gw: Gateway;
let a: Backend;
let b: Backend;
let ws: Backend;
let deadPort: number;
let panicPort: number;
const up = (app: string, dyno: string, port: number, state = 'up'): DynoTarget => ({ app, type: 'web', dyno, port, state });

before(async () => {
  [a, b, ws] = await Promise.all([startBackend('web.1'), startBackend('web.2'), startBackend('web.1', {}, 0, 'gateway-socketio.mjs')]);
  deadPort = await freePort();
  panicPort = await freePort();
  const e = emptyEntities();
  for (const x of [
    appService('rr', 'rr', { paths: ['/rr'] }),
    appService('lc', 'lc', { paths: ['/lc'] }, { load_balancing: 'least-connections' }),
    appService('retry', 'retry', { paths: ['/retry'] }),
    appService('health', 'health', { paths: ['/health-app'] }),
    appService('roll', 'roll', { paths: ['/roll'] }),
    appService('ws', 'ws', { paths: ['/socket.io/'], strip_path: false }),
    appService('panic', 'panic', { paths: ['/panic'] }, { retries: 1 }),
  ]) {
    e.services.push(x.service);
    e.routes.push(x.route);
  }
  gw = await startGateway({
    entities: e,
    apps: { health: { internal: false, health: { path: '/health', interval: 200 } } },
    dynos: [
      up('rr', 'web.1', a.port),
      up('rr', 'web.2', b.port),
      up('lc', 'web.1', a.port),
      up('lc', 'web.2', b.port),
      up('retry', 'web.1', deadPort),
      up('retry', 'web.2', b.port),
      up('health', 'web.1', a.port),
      up('health', 'web.2', b.port),
      up('ws', 'web.1', ws.port),
      up('panic', 'web.1', panicPort),
    ],
  });
});
after(() => stopAll());

test('round-robin spreads requests over the dynos that are up', async () => {
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) seen.push((await request(gw.port, '/rr/x')).json().dyno);
  assert.equal(seen.filter((d) => d === 'web.1').length, 3, seen.join());
  assert.equal(seen.filter((d) => d === 'web.2').length, 3, seen.join());
});

test('least-connections sends new requests away from a busy dyno', async () => {
  // Two slow requests land on both dynos; then web.1 gets a third slow one... the next fast ones avoid it.
  const slow = [request(gw.port, '/lc/slow?ms=600'), request(gw.port, '/lc/slow?ms=600')];
  await new Promise((r) => setTimeout(r, 100));
  const first = await request(gw.port, '/lc/fast');
  assert.equal(first.status, 200);
  await Promise.all(slow);
  const picks = new Set<string>();
  for (let i = 0; i < 4; i++) picks.add((await request(gw.port, '/lc/x')).json().dyno);
  assert.equal(picks.size, 2, 'idle dynos are both used');
});

test('a refused connection is retried on another dyno; the refusing dyno is benched', async () => {
  for (let i = 0; i < 4; i++) {
    const r = await request(gw.port, '/retry/x', { method: 'POST', body: `payload-${i}` });
    assert.equal(r.status, 200);
    assert.equal(r.json().dyno, 'web.2');
    assert.equal(r.json().body, `payload-${i}`, 'the body is replayed on the retry');
  }
});

test('panic mode: the only dyno, benched after a refused connect, is tried again at once when it listens; the errno is logged', async () => {
  const refused = await request(gw.port, '/panic/x', { headers: { accept: 'application/json', 'x-request-id': 'panic-request-id-00000001' } });
  assert.equal(refused.status, 503);
  assert.match(await gw.waitLog(/request_id=panic-request-id-00000001/), /code=H21 .* err=ECONNREFUSED/);
  await startBackend('web.1', {}, panicPort);
  // Benched for 10 s, but it is the only one: without panic mode this would be H21 until then.
  const ok = await request(gw.port, '/panic/x');
  assert.equal(ok.status, 200);
});

test('after a request was sent, a non-idempotent method is not retried (H13 once), an idempotent one is', async () => {
  const before = (await request(b.port, '/hits')).json<Record<string, number>>()['/close'] ?? 0;
  const post = await request(gw.port, '/rr/close', { method: 'POST', body: 'x', headers: { accept: 'application/json' } });
  assert.equal(post.status, 502);
  const hitsA = (await request(a.port, '/hits')).json<Record<string, number>>()['/close'] ?? 0;
  const hitsB = (await request(b.port, '/hits')).json<Record<string, number>>()['/close'] ?? 0;
  assert.equal(hitsA + hitsB - before, 1, 'POST sent once');
  const get = await request(gw.port, '/rr/close', { headers: { accept: 'application/json' } });
  assert.equal(get.status, 502);
  const after = ((await request(a.port, '/hits')).json<Record<string, number>>()['/close'] ?? 0) + ((await request(b.port, '/hits')).json<Record<string, number>>()['/close'] ?? 0);
  assert.ok(after - hitsA - hitsB >= 2, `GET retried (${after - hitsA - hitsB} attempts)`);
});

test('active health checks take a failing dyno out of rotation and back', async () => {
  const dynosSeen = async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await request(gw.port, '/health-app/x')).json().dyno);
    return [...seen].sort();
  };
  const until = async (want: string[]) => {
    for (let i = 0; i < 50; i++) {
      if (JSON.stringify(await dynosSeen()) === JSON.stringify(want)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await dynosSeen(), want);
  };
  await request(a.port, '/toggle-health'); // web.1 now answers 503 on /health
  await until(['web.2']);
  // Out of rotation for good, not by chance: it stays out while it fails.
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await dynosSeen(), ['web.2']);
  await request(a.port, '/toggle-health');
  await until(['web.1', 'web.2']);
});

test('socket.io works through the gateway, over polling+upgrade and websocket only', async () => {
  for (const transports of [['polling', 'websocket'], ['websocket']] as const) {
    const socket = io(`http://127.0.0.1:${gw.port}`, { transports: [...transports], reconnection: false, forceNew: true });
    try {
      const pong = await new Promise<{ msg: string; dyno: string; key: string }>((resolve, reject) => {
        socket.on('connect_error', reject);
        socket.on('pong', resolve);
        socket.on('connect', () => socket.emit('ping-me', 'hello'));
        setTimeout(() => reject(new Error('no pong')), 4000);
      });
      assert.deepEqual({ msg: pong.msg, dyno: pong.dyno, key: pong.key }, { msg: 'hello', dyno: 'web.1', key: 'present' });
      if (transports.length === 2) await new Promise((r) => setTimeout(r, 300));
    } finally {
      socket.close();
    }
  }
  assert.match(await gw.waitLog(/path="\/socket\.io\/".*status=101/), /at=info method=GET/);
});

test('a rolling restart under load fails no request', async () => {
  let r1 = await startBackend('web.1');
  let r2 = await startBackend('web.2');
  let table = [up('roll', 'web.1', r1.port), up('roll', 'web.2', r2.port)];
  const others = gw.config; // keep the other apps' dynos in the table
  void others;
  const base = [
    up('rr', 'web.1', a.port),
    up('rr', 'web.2', b.port),
    up('lc', 'web.1', a.port),
    up('lc', 'web.2', b.port),
    up('retry', 'web.1', deadPort),
    up('retry', 'web.2', b.port),
    up('health', 'web.1', a.port),
    up('health', 'web.2', b.port),
    up('ws', 'web.1', ws.port),
  ];
  gw.setDynos([...base, ...table]);
  await new Promise((r) => setTimeout(r, 100));
  let stop = false;
  const statuses: number[] = [];
  const client = async () => {
    while (!stop) {
      const r = await request(gw.port, '/roll/x').catch(() => ({ status: 0 }));
      statuses.push(r.status);
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, client));
  for (const which of ['web.1', 'web.2'] as const) {
    const old = which === 'web.1' ? r1 : r2;
    // The runtime's order: the old dyno leaves rotation (stopping), gets SIGTERM, a new one boots and comes up.
    table = table.map((d) => (d.dyno === which ? { ...d, state: 'stopping' } : d));
    gw.setDynos([...base, ...table]);
    await new Promise((r) => setTimeout(r, 50));
    old.proc.kill('SIGTERM');
    const fresh = await startBackend(which);
    table = table.map((d) => (d.dyno === which ? up('roll', which, fresh.port) : d));
    gw.setDynos([...base, ...table]);
    if (which === 'web.1') r1 = fresh;
    else r2 = fresh;
    await new Promise((r) => setTimeout(r, 300));
  }
  // And a dyno killed outright while still marked up: refused connections are retried elsewhere.
  r1.proc.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await load;
  assert.ok(statuses.length > 50, `${statuses.length} requests`);
  assert.deepEqual([...new Set(statuses)], [200], `statuses: ${JSON.stringify(statuses.filter((s) => s !== 200))}`);
});
