import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeWhole } from './socket-write.js';

async function pair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const server = await accepted;
  return { client, server, close: () => (client.destroy(), server.destroy(), srv.close()) };
}

test('a whole-message write comes after what the stream still holds (order kept under backpressure)', async () => {
  const { client, server, close } = await pair();
  try {
    // 2 x 8 MB the peer does not read yet: the first is handed to the handle (partly written), the second waits
    // in the stream's buffer; writeWhole must go behind both, not between them.
    const a = Buffer.alloc(8 << 20, 0x61);
    const b = Buffer.alloc(8 << 20, 0x62);
    client.write(a);
    client.write(b);
    assert.ok(client.writableLength > b.length);
    writeWhole(client, 'END');
    client.end();
    let total = 0;
    let tail = '';
    for await (const chunk of server as AsyncIterable<Buffer>) {
      total += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-3);
    }
    assert.equal(total, a.length + b.length + 3);
    assert.equal(tail, 'END');
  } finally {
    close();
  }
});

test('whole-message writes on an idle socket arrive in order, latin1, before end()', async () => {
  const { client, server, close } = await pair();
  try {
    for (let i = 0; i < 100; i++) writeWhole(client, `m${i}\u00e9;`);
    client.end();
    const chunks: Buffer[] = [];
    for await (const chunk of server as AsyncIterable<Buffer>) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('latin1');
    assert.equal(text, Array.from({ length: 100 }, (_, i) => `m${i}\u00e9;`).join(''));
  } finally {
    close();
  }
});
