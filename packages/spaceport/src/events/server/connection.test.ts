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

const FSYNC_DELAY_MS = 1000;
const opened: Array<{ broker: Broker; server: Server; socket: Socket }> = [];
after(() => {
  for (const o of opened) {
    o.socket.destroy();
    o.server.close();
    o.broker.close();
  }
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

function frame(apiKey: number, version: number, correlationId: number, body: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.int16(apiKey).int16(version).int32(correlationId).string('early-response-test');
  body(w);
  const payload = Buffer.concat(w.finish());
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

const produce = (correlationId: number) =>
  frame(ApiKey.Produce, 7, correlationId, (w) => w.nullableString(null).int16(-1).int32(5000).array(['t'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(oneRecordBatch()))));
const apiVersions = (correlationId: number) => frame(ApiKey.ApiVersions, 0, correlationId, () => {});
/** Fetch v4 of `topic` partition 0 from offset 0, long-polling up to `maxWaitMs` for 1 byte. */
const fetchFrom = (correlationId: number, topic: string, maxWaitMs: number) =>
  frame(ApiKey.Fetch, 4, correlationId, (w) => w.int32(-1).int32(maxWaitMs).int32(1).int32(1 << 20).int8(0).array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(0).int32(1 << 20))));

/** A broker on a slow disk: every group-commit request waits FSYNC_DELAY_MS, then fsyncs (or fails, with `fail`). */
async function open(fail = false) {
  const broker = new Broker({ ...defaultBrokerConfig, dataDir: mkdtempSync(join(tmpdir(), 'spaceport-conn-')), port: 0, clusterId: 'conn', initialRebalanceDelayMs: 0 }, () => {});
  broker.open();
  broker.store.create('t', { partitions: 1 });
  const flusher = broker.store.flusher;
  const request = flusher.request.bind(flusher);
  flusher.request = (p) => new Promise((r) => setTimeout(r, FSYNC_DELAY_MS)).then(() => (fail ? false : request(p)));
  const server = await listenKafka(broker, '127.0.0.1', 0, 1 << 20);
  const socket = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  await new Promise((r) => socket.once('connect', r));
  opened.push({ broker, server, socket });
  const conn = { socket, received: Buffer.alloc(0), closed: false };
  socket.on('data', (c: Buffer) => (conn.received = Buffer.concat([conn.received, c])));
  socket.on('close', () => (conn.closed = true));
  return conn;
}

/** Whole response frames at the start of `buf`: [correlation id, body]. */
function frames(buf: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  for (let at = 0; at + 4 <= buf.length && at + 4 + buf.readInt32BE(at) <= buf.length; at += 4 + buf.readInt32BE(at)) {
    out.push([buf.readInt32BE(at + 4), buf.subarray(at + 8, at + 4 + buf.readInt32BE(at))]);
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The produce response of one partition of topic "t": [error code, base offset]. */
function produceResult(body: Buffer): [number, number] {
  assert.equal(body.readInt32BE(0), 1);
  assert.equal(body.toString('utf8', 6, 7), 't');
  return [body.readInt16BE(15), Number(body.readBigInt64BE(17))];
}

test('a produce waiting for its fsync: its header at once, a body byte per later request, the rest after the fsync, in order', async () => {
  const conn = await open();
  conn.socket.write(produce(1));
  await sleep(FSYNC_DELAY_MS / 4);
  assert.equal(conn.received.length, 8, 'the response header before the fsync');
  assert.equal(conn.received.readInt32BE(4), 1, 'with its correlation id');
  conn.socket.write(produce(2));
  await sleep(FSYNC_DELAY_MS / 4);
  assert.equal(conn.received.length, 9, 'one more byte of the first response acknowledges the second request');
  await until(() => frames(conn.received).length === 2, 'both responses');
  const [[c1, b1], [c2, b2]] = frames(conn.received);
  assert.deepEqual([c1, produceResult(b1!)], [1, [0, 0]]);
  assert.deepEqual([c2, produceResult(b2!)], [2, [0, 1]]);
  assert.equal(frames(conn.received).reduce((n, [, b]) => n + 8 + b.length, 0), conn.received.length, 'nothing else on the wire');
});

test('a failed fsync: the error answer when the bytes sent early allow it, the connection closed (no answer) when not', async () => {
  // One early body byte (the topic count's first byte) is the same in the error answer.
  const a = await open(true);
  a.socket.write(produce(1));
  await sleep(FSYNC_DELAY_MS / 4);
  a.socket.write(apiVersions(2));
  await until(() => frames(a.received).length === 2, 'both responses');
  assert.equal(produceResult(frames(a.received)[0]![1])[0], -1, 'UNKNOWN_SERVER_ERROR');

  // Enough requests behind it that the early bytes pass the error code: no response may complete with "no error".
  const b = await open(true);
  b.socket.write(produce(1));
  await sleep(20);
  for (let i = 0; i < 20; i++) {
    b.socket.write(apiVersions(2 + i));
    await sleep(8);
  }
  await until(() => b.closed, 'the connection closed');
  assert.equal(frames(b.received).length, 0, 'no complete response');
  assert.ok(b.received.length > 8 + 17, 'the early bytes went past the error code');
});

test('a produce whose fsync ends while an earlier request still waits: its announced response follows that one, whole and in order', async () => {
  const conn = await open();
  opened[opened.length - 1]!.broker.store.create('idle', { partitions: 1 });
  conn.socket.write(fetchFrom(1, 'idle', FSYNC_DELAY_MS * 1.5)); // long-polls an empty topic: first in line
  conn.socket.write(produce(2));
  await sleep(FSYNC_DELAY_MS * 1.2);
  assert.equal(conn.received.length, 0, 'the produce, answered by now, waits behind the fetch: not even its header');
  await until(() => frames(conn.received).length === 2, 'both responses');
  const [[c1], [c2, b2]] = frames(conn.received);
  assert.deepEqual([c1, c2], [1, 2]);
  assert.deepEqual(produceResult(b2!), [0, 0]);
  assert.equal(frames(conn.received).reduce((n, [, b]) => n + 8 + b.length, 0), conn.received.length, 'nothing else on the wire');
});
