/**
 * DeleteRecords (kafkajs admin.deleteTopicRecords) against the real broker process: the log start moves, consumers
 * from the beginning start there, sealed segments below it are deleted, the start survives a restart, and Kafka's
 * error codes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { eventually, startBroker, tempDir, type RunningBroker } from './events-support.js';
import { kafkajsRequest } from './events-wire-support.js';

let broker: RunningBroker;
let admin: Admin;
const dataDir = tempDir();
const config = { autoCreateTopics: false, segmentBytes: 1024 };
const kafka = () => new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });

before(async () => {
  broker = await startBroker({ dataDir, config });
  admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'r', numPartitions: 1 }] });
  const producer = kafka().producer();
  await producer.connect();
  // One batch per send, 200 bytes each: segments of 1 KiB roll every few batches.
  for (let i = 0; i < 20; i++) await producer.send({ topic: 'r', messages: [{ value: `${i}:`.padEnd(200, 'x') }] });
  await producer.disconnect();
});
after(async () => {
  await admin?.disconnect();
  await broker?.kill();
});

const segments = () => readdirSync(join(dataDir, 'topics', 'r', '0')).filter((f) => f.endsWith('.log')).length;
const low = async () => (await admin.fetchTopicOffsets('r'))[0]!.low;

test('deleteTopicRecords moves the log start; consumers from the beginning start there; sealed segments below go', async () => {
  const before = segments();
  assert.ok(before >= 4, `several segments (${before})`);
  // kafkajs looks the partition's leader up in the metadata it already has (as against Kafka): load it first.
  assert.equal(await low(), '0');
  await admin.deleteTopicRecords({ topic: 'r', partitions: [{ partition: 0, offset: '15' }] });
  assert.equal(await low(), '15');
  assert.ok(segments() < before, `segments ${before} -> ${segments()}`);
  const consumer = kafka().consumer({ groupId: 'from-start', maxWaitTimeInMs: 200 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: 'r', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.offset) });
  try {
    await eventually(() => seen.length >= 5, 15_000, 'the records from 15');
    assert.deepEqual(seen, ['15', '16', '17', '18', '19']);
  } finally {
    await consumer.disconnect();
  }
  await admin.deleteTopicRecords({ topic: 'r', partitions: [{ partition: 0, offset: '3' }] });
  assert.equal(await low(), '15', 'an offset below the start changes nothing');
});

test('Kafka\'s codes: OFFSET_OUT_OF_RANGE past the high watermark, UNKNOWN_TOPIC_OR_PARTITION; -1 is the high watermark (v0 and v1)', async () => {
  type Res = { topics: { topic: string; partitions: { partition: number; lowWatermark: bigint; errorCode: number }[] }[] };
  const del = (version: number, topic: string, partition: number, offset: string) => kafkajsRequest<Res>(broker.port, 'deleteRecords', version, { topics: [{ topic, partitions: [{ partition, offset }] }], timeout: 5000 }).then((r) => r.topics[0]!.partitions[0]!);
  assert.equal((await del(1, 'r', 0, '21')).errorCode, 1, 'OFFSET_OUT_OF_RANGE');
  assert.equal((await del(0, 'nope', 0, '1')).errorCode, 3);
  assert.equal((await del(1, 'r', 7, '1')).errorCode, 3, 'no such partition');
  assert.equal(await low(), '15', 'nothing changed');
  const all = await del(0, 'r', 0, '-1');
  assert.deepEqual([all.errorCode, String(all.lowWatermark)], [0, '20']);
  const offsets = (await admin.fetchTopicOffsets('r'))[0]!;
  assert.deepEqual([offsets.low, offsets.high], ['20', '20'], 'empty, offsets kept');
});

test('the log start survives a restart, and produce continues after it', async () => {
  await admin.disconnect();
  await broker.stop();
  broker = await startBroker({ dataDir, config });
  admin = kafka().admin();
  await admin.connect();
  assert.equal(await low(), '20');
  const producer = kafka().producer();
  await producer.connect();
  await producer.send({ topic: 'r', messages: [{ value: 'after' }] });
  await producer.disconnect();
  const offsets = (await admin.fetchTopicOffsets('r'))[0]!;
  assert.deepEqual([offsets.low, offsets.high], ['20', '21']);
});
