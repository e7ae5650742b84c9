/**
 * Socket fuzzing: while a kafkajs producer and consumer work, raw connections send oversized and negative frame
 * lengths, unknown APIs, unsupported versions, garbage and truncated requests, and a batch with a bad CRC.
 * Each bad connection gets an error code or is closed with a log line; the broker stays up, the good clients
 * are unaffected and what is on disk is intact.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker | undefined;
after(async () => {
  await broker?.kill();
});

/** Sends raw bytes; resolves with what came back and whether the broker closed the connection. */
function raw(port: number, data: Buffer, waitMs = 400): Promise<{ reply: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    let closed = false;
    s.on('data', (c) => parts.push(c));
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
    });
    s.write(data);
    setTimeout(() => {
      s.destroy();
      resolve({ reply: Buffer.concat(parts), closed });
    }, waitMs);
  });
}

function request(apiKey: number, version: number, body: Buffer, correlationId = 42): Buffer {
  const client = Buffer.from('fuzz');
  const head = Buffer.alloc(10 + client.length);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(version, 2);
  head.writeInt32BE(correlationId, 4);
  head.writeInt16BE(client.length, 8);
  client.copy(head, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(head.length + body.length);
  return Buffer.concat([size, head, body]);
}

test('malformed frames get an error or a closed connection; other clients and the data are unaffected', async () => {
  broker = await startBroker({ config: { maxFrameBytes: 1 << 20 } });
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: 'steady', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'steady', fromBeginning: true });
  const got: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
  let sent = 0;
  let stop = false;
  const pump = (async () => {
    while (!stop) {
      await producer.send({ topic: 'steady', acks: -1, messages: [{ value: `v${sent}` }] });
      sent++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const lenOnly = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  // Oversized and negative lengths: closed before any body is buffered.
  assert.equal((await raw(broker.port, lenOnly(2 << 20))).closed, true);
  assert.equal((await raw(broker.port, lenOnly(-5))).closed, true);
  // Unknown API key, unsupported version of a known API.
  assert.equal((await raw(broker.port, request(999, 0, Buffer.alloc(0)))).closed, true);
  assert.equal((await raw(broker.port, request(3, 42, Buffer.alloc(0)))).closed, true);
  // ApiVersions of an unknown version: error 35 and our ranges, in the v0 layout (KIP-511).
  const av = await raw(broker.port, request(18, 99, Buffer.alloc(0), 77));
  assert.equal(av.reply.readInt32BE(4), 77);
  assert.equal(av.reply.readInt16BE(8), 35);
  // A truncated Metadata body.
  assert.equal((await raw(broker.port, request(3, 5, Buffer.from([0, 0, 0, 9, 0])))).closed, true);
  // A frame shorter than a request header.
  assert.equal((await raw(broker.port, Buffer.concat([lenOnly(3), Buffer.from([1, 2, 3])]))).closed, true);
  // Random garbage in valid-length frames, many times over.
  for (let i = 0; i < 40; i++) {
    const body = randomBytes(8 + (i * 37) % 300);
    await raw(broker.port, Buffer.concat([lenOnly(body.length), body]), 30);
  }
  // A Produce v3 whose batch has a bad CRC: answered with CORRUPT_MESSAGE (2), nothing appended.
  const batch = Buffer.alloc(70);
  batch.writeInt32BE(58, 8);
  batch.writeInt8(2, 16);
  const topic = Buffer.from('steady');
  const produceBody = Buffer.concat([
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0x03, 0xe8, 0, 0, 0, 1]), // null transactional id, acks -1, timeout 1000, 1 topic
    Buffer.from([0, topic.length]), topic,
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 0]), // 1 partition: index 0
    lenOnly(batch.length), batch,
  ]);
  const bad = await raw(broker.port, request(0, 3, produceBody, 5));
  assert.equal(bad.closed, false);
  // response: size, correlation id, 1 topic (name), 1 partition: index, error code
  const errAt = 4 + 4 + 4 + 2 + topic.length + 4 + 4;
  assert.equal(bad.reply.readInt16BE(errAt), 2);

  stop = true;
  await pump;
  const deadline = Date.now() + 15_000;
  while (got.length < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  await producer.disconnect();
  assert.ok(sent > 20, `the good producer kept going (${sent})`);
  assert.deepEqual(got, Array.from({ length: sent }, (_, i) => `v${i}`));
  assert.equal(broker.proc.exitCode, null, 'the broker is still running');
  assert.match(broker.output(), /frame of 2097152 bytes exceeds the limit of 1048576 bytes/);
  assert.match(broker.output(), /unknown API key 999/);
  assert.match(broker.output(), /CRC-32C mismatch/);
});
