import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { Pool } from './conn.js';

test('a socket paused for a slow client reads again once it is back in the pool', async () => {
  const server = net.createServer(() => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const pool = new Pool('127.0.0.1', (server.address() as net.AddressInfo).port, false);
  const c = pool.acquire();
  try {
    await once(c.socket, 'connect');
    // forward.ts pauses the upstream socket when the client's buffer is full; the response may end in the same read.
    c.socket.pause();
    pool.release(c);
    assert.equal(c.socket.isPaused(), false, 'an idle pooled socket must read (its next response, or the upstream closing)');
    assert.equal(pool.acquire(), c);
  } finally {
    c.destroy();
    server.close();
  }
});
