/**
 * The early response header: a Produce waiting for its fsync gets its 8-byte response header (size, correlation
 * id) written at once, which acknowledges the request at the TCP level (kafkajs keeps Nagle's algorithm on and
 * holds its next small request until then); the body follows after the fsync, and responses stay in order.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker, defaultBrokerConfig } from '../broker.js';
import { ApiKey } from '../protocol/api-keys.js';
import { Writer } from '../protocol/writer.js';
import { writeInt64 } from '../storage/batch.js';
import { crc32c } from '../storage/crc32c.js';
import { listenKafka } from './kafka-server.js';

const FSYNC_DELAY_MS = 400;
let broker: Broker | undefined;
let server: Server | undefined;
let socket: Socket | undefined;
after(() => {
  socket?.destroy();
  server?.close();
  broker?.close();
});

/** A record batch v2 holding one record with value "x" (no key), CRC-32C set. */
function oneRecordBatch(): Buffer {
  const record = Buffer.from([14, 0, 0, 0, 1, 2, 0x78, 0]); // length 7 (zigzag), attributes, deltas, key -1, value "x", no headers
  const b = Buffer.alloc(61 + record.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt8(2, 16);
  writeInt64(b, 27, Date.now());
  writeInt64(b, 35, Date.now());
  writeInt64(b, 43, -1);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(1, 57);
  record.copy(b, 61);
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
}

function produceFrame(correlationId: number, acks: number): Buffer {
  const w = new Writer();
  w.int16(ApiKey.Produce).int16(7).int32(correlationId).string('early-header-test');
  w.nullableString(null).int16(acks).int32(5000);
  w.array(['t'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(oneRecordBatch())));
  const body = Buffer.concat(w.finish());
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

test('a produce waiting for its fsync gets its response header at once, the body after the fsync, responses in order', async () => {
  broker = new Broker({ ...defaultBrokerConfig, dataDir: mkdtempSync(join(tmpdir(), 'spaceport-conn-')), port: 0, clusterId: 'conn', initialRebalanceDelayMs: 0 }, () => {});
  broker.open();
  broker.store.create('t', { partitions: 1 });
  // A slow disk: every group-commit request waits FSYNC_DELAY_MS before its real fsync.
  const flusher = broker.store.flusher;
  const request = flusher.request.bind(flusher);
  flusher.request = (p) => new Promise((r) => setTimeout(r, FSYNC_DELAY_MS)).then(() => request(p));
  server = await listenKafka(broker, '127.0.0.1', 0, 1 << 20);
  const port = (server.address() as { port: number }).port;
  socket = connect({ host: '127.0.0.1', port });
  await new Promise((r) => socket!.once('connect', r));
  const arrivals: Array<{ at: number; bytes: number }> = [];
  let received = Buffer.alloc(0);
  socket.on('data', (c: Buffer) => {
    arrivals.push({ at: performance.now(), bytes: received.length + c.length });
    received = Buffer.concat([received, c]);
  });
  const t0 = performance.now();
  socket.write(Buffer.concat([produceFrame(1, -1), produceFrame(2, -1)])); // two pipelined requests

  const bytesBy = (ms: number) => arrivals.filter((a) => a.at - t0 <= ms).reduce((n, a) => Math.max(n, a.bytes), 0);
  await new Promise((r) => setTimeout(r, FSYNC_DELAY_MS / 2));
  assert.equal(bytesBy(FSYNC_DELAY_MS / 2), 8, 'only the first response header arrives before the fsync');
  assert.equal(received.readInt32BE(4), 1, 'the early header carries the first correlation id');

  const frames = () => {
    let n = 0;
    for (let at = 0; at + 4 <= received.length && at + 4 + received.readInt32BE(at) <= received.length; at += 4 + received.readInt32BE(at)) n++;
    return n;
  };
  const deadline = Date.now() + 5000;
  while (frames() < 2) {
    if (Date.now() > deadline) assert.fail(`responses incomplete: ${received.length} bytes`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // The stream parses as two whole responses, in request order, each with offset and no error.
  let at = 0;
  for (const [correlationId, offset] of [[1, 0], [2, 1]] as const) {
    const size = received.readInt32BE(at);
    assert.equal(received.readInt32BE(at + 4), correlationId);
    const body = received.subarray(at + 8, at + 4 + size);
    // topics[1] { name "t" partitions[1] { partition, error_code, base_offset, ... } }
    assert.equal(body.readInt32BE(0), 1);
    assert.equal(body.toString('utf8', 6, 7), 't');
    assert.equal(body.readInt16BE(11 + 4), 0, 'no error');
    assert.equal(Number(body.readBigInt64BE(11 + 6)), offset);
    at += 4 + size;
  }
  assert.equal(at, received.length);
  assert.ok(arrivals.at(-1)!.at - t0 >= FSYNC_DELAY_MS, 'the bodies came after the fsync');
});
