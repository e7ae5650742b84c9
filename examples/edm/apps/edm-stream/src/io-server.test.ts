import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { createStreamServer, type StreamServer } from './io-server.js';
import { toStreamEvent, type StreamEvent } from './fanout.js';

const KEY = 'stream-test-key-123';
let s: StreamServer;
let base = '';
const sockets: Socket[] = [];

before(async () => {
  s = createStreamServer({ authorized: (req) => req.headers['x-internal-api-key'] === KEY, hello: { dyno: 'web.1' } });
  await new Promise<void>((r) => s.http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(s.http.address() as AddressInfo).port}`;
});
after(async () => {
  for (const c of sockets) c.close();
  s.io.close();
  s.http.closeAllConnections();
});

test('without the key: health, polling, the client script and WebSocket upgrades are all 401', async () => {
  for (const path of ['/health', '/socket.io/?EIO=4&transport=polling', '/socket.io/socket.io.js']) {
    assert.equal((await fetch(base + path)).status, 401, path);
  }
  const ws = connect(base, { transports: ['websocket'], reconnection: false, timeout: 2000 });
  sockets.push(ws);
  const err = await new Promise<Error>((resolve) => ws.on('connect_error', resolve));
  assert.ok(err);
  assert.equal(ws.connected, false);
});

test('with the key: the client script is served and a WebSocket client receives every event', async () => {
  const js = await fetch(base + '/socket.io/socket.io.js', { headers: { 'x-internal-api-key': KEY } });
  assert.equal(js.status, 200);
  assert.match(await js.text(), /Socket\.IO/);
  const c = connect(base, { transports: ['websocket'], extraHeaders: { 'x-internal-api-key': KEY }, reconnection: false });
  sockets.push(c);
  const hello = await new Promise<{ dyno: string }>((resolve) => c.on('hello', resolve));
  assert.equal(hello.dyno, 'web.1');
  const got: StreamEvent[] = [];
  const all = new Promise<void>((resolve) =>
    c.on('events', (batch: StreamEvent[]) => {
      got.push(...batch);
      if (got.length >= 3) resolve();
    }),
  );
  const ev = (o: number, v: unknown) => toStreamEvent('edm-ui-click', 0, String(o), Buffer.from(JSON.stringify(v)));
  s.fanout.push([ev(0, { type: 'click', product: 'a' })!, ev(1, { type: 'click', product: 'b' })!]);
  s.fanout.push([ev(2, { type: 'pageload', product: 'c' })!]);
  await all;
  assert.deepEqual(got.map((e) => e.product), ['a', 'b', 'c']);
  assert.equal(got[2]!.offset, '2');
  assert.equal(toStreamEvent('t', 0, '0', Buffer.from('nope')), undefined);
});
