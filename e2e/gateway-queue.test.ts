/**
 * The opt-in per-dyno connection cap (a service's max_conns): requests past it wait in the gateway for a
 * free connection, in order, and get 503 H11 after queue_timeout; without it nothing queues.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Backend, type Gateway } from './gateway-support.js';

let gw: Gateway;
let capped: Backend;
let uncapped: Backend;
let one: Backend;

before(async () => {
  [capped, uncapped, one] = await Promise.all([startBackend('web.1'), startBackend('web.1'), startBackend('web.1')]);
  const e = emptyEntities();
  for (const x of [
    appService('capped', 'capped', { paths: ['/capped'] }, { max_conns: 2, queue_timeout: 5000 }),
    appService('uncapped', 'uncapped', { paths: ['/uncapped'] }),
    appService('one', 'one', { paths: ['/one'] }, { max_conns: 1, queue_timeout: 300 }),
  ]) {
    e.services.push(x.service);
    e.routes.push(x.route);
  }
  gw = await startGateway({
    entities: e,
    dynos: [
      { app: 'capped', type: 'web', dyno: 'web.1', port: capped.port, state: 'up' },
      { app: 'uncapped', type: 'web', dyno: 'web.1', port: uncapped.port, state: 'up' },
      { app: 'one', type: 'web', dyno: 'web.1', port: one.port, state: 'up' },
    ],
  });
});
after(() => stopAll());

const conns = async (b: Backend) => JSON.parse((await request(b.port, '/conns')).body) as { open: number; max: number };

test('max_conns: 6 slow requests at once reach the dyno over at most 2 connections, and all are answered', async () => {
  const t0 = Date.now();
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => request(gw.port, `/capped/slow?ms=300&i=${i}`)));
  assert.deepEqual(
    rs.map((r) => r.status),
    [200, 200, 200, 200, 200, 200],
  );
  assert.equal((await conns(capped)).max, 2);
  // Three waves of two: the queue held the rest.
  assert.ok(Date.now() - t0 >= 850, `answered in ${Date.now() - t0} ms`);
});

test('without max_conns nothing queues: the same load opens a connection per request', async () => {
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => request(gw.port, `/uncapped/slow?ms=300&i=${i}`)));
  assert.ok(rs.every((r) => r.status === 200));
  assert.equal((await conns(uncapped)).max, 6);
});

test('a request that waits longer than queue_timeout gets 503 H11 (Backlog too deep) and a router line', async () => {
  const slow = request(gw.port, '/one/slow?ms=1500');
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  const r = await request(gw.port, '/one/x', { headers: { accept: 'application/json', 'x-request-id': 'h11-request-id-0000000001' } });
  const waited = Date.now() - t0;
  assert.equal(r.status, 503);
  assert.equal(r.json().code, 'H11');
  assert.ok(waited >= 250 && waited < 1200, `waited ${waited} ms (queue_timeout 300 ms)`);
  assert.match(await gw.waitLog(/request_id=h11-request-id-0000000001/), /at=error code=H11 desc="Backlog too deep" .* status=503/);
  assert.equal((await slow).status, 200, 'the request holding the connection is unaffected');
  // The connection is free again: the next request goes through at once.
  assert.equal((await request(gw.port, '/one/x')).status, 200);
});
