/**
 * Durability: producers run with acks=-1 while the broker is killed with SIGKILL. After a restart on the same
 * data, every acknowledged message is there, in each producer's order, and offsets have no gaps. A consumer
 * reads along (fetches serve written data before its fsync): every message it saw before the kill is still at
 * the same offset, so no offset a consumer has seen is reused.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker | undefined;
let liveReader: ChildProcess | undefined;
after(async () => {
  liveReader?.kill('SIGKILL');
  await broker?.kill();
});

test('SIGKILL during acks=-1 produce loses no acknowledged message and leaves no offset gap', async () => {
  broker = await startBroker();
  const client = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 3 }] });
  await admin.disconnect();

  const acked = new Map<string, number[]>(); // producer → acknowledged sequence numbers
  let stop = false;
  const run = async (name: string, producer: Producer) => {
    await producer.connect();
    acked.set(name, []);
    let seq = 0;
    while (!stop) {
      const messages = Array.from({ length: 25 }, (_, i) => ({ key: name, value: `${name}:${seq + i}` }));
      try {
        await producer.send({ topic: 'durable', acks: -1, messages });
      } catch {
        return; // the broker is gone: what was not acknowledged may or may not be there
      }
      for (let i = 0; i < 25; i++) acked.get(name)!.push(seq + i);
      seq += 25;
    }
  };
  // The live reader is kcat (librdkafka), a process of its own that simply dies with the broker.
  let liveOut = '';
  liveReader = spawn('kcat', ['-C', '-b', `127.0.0.1:${broker.port}`, '-t', 'durable', '-o', 'beginning', '-u', '-q', '-f', '%p %o %s\n', '-X', 'fetch.wait.max.ms=50'], { stdio: ['ignore', 'pipe', 'ignore'] });
  liveReader.stdout!.on('data', (c: Buffer) => (liveOut += c.toString()));
  const producers = ['p1', 'p2', 'p3', 'p4'].map((n) => [n, client.producer()] as const);
  const running = producers.map(([n, p]) => run(n, p));
  // Kill once a few hundred messages are acknowledged, with every producer still sending.
  const ackedCount = () => [...acked.values()].reduce((n, a) => n + a.length, 0);
  const until = Date.now() + 20_000;
  // ...and once the live reader (a process that needs a moment to start) has printed some of them.
  const liveLines = () => liveOut.split('\n').length - 1;
  while ((ackedCount() < 400 || liveLines() < 10) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  const { dataDir } = broker;
  await broker.kill();
  liveReader.kill('SIGKILL');
  const seenLive = liveOut
    .split('\n')
    .filter((l) => /^\d+ \d+ \S+$/.test(l))
    .map((l) => l.split(' '))
    .map(([p, o, value]) => ({ partition: Number(p), offset: Number(o), value: value! }));
  // The active segments are preallocated: recovery below has to find each one's end in the content, not the size.
  const segments = [0, 1, 2].map((p) => readFileSync(join(dataDir, 'topics', 'durable', String(p), '00000000000000000000.log')));
  assert.ok(segments.some((d) => d.length > 4096 && d.subarray(-4096).every((b) => b === 0)), 'segments end in preallocated zeros at the kill');
  stop = true;
  await Promise.all(running);
  await Promise.all(producers.map(([, p]) => p.disconnect().catch(() => {})));
  const total = [...acked.values()].reduce((n, a) => n + a.length, 0);
  assert.ok(total >= 100, `producers got acknowledgements before the kill (${total})`);

  broker = await startBroker({ dataDir });
  const reader = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin2 = reader.admin();
  await admin2.connect();
  const ends = await admin2.fetchTopicOffsets('durable');
  await admin2.disconnect();
  const expected = ends.reduce((n, p) => n + Number(p.high), 0);

  const rows: Array<{ partition: number; offset: number; value: string }> = [];
  const consumer = reader.consumer({ groupId: 'crash-check', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'durable', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => void rows.push({ partition, offset: Number(message.offset), value: message.value!.toString() }) });
  const deadline = Date.now() + 20_000;
  while (rows.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  assert.equal(rows.length, expected);

  // What the live consumer saw before the kill is still there, at the same offsets.
  assert.ok(seenLive.length > 0, 'the live consumer saw messages before the kill');
  const afterRestart = new Map(rows.map((r) => [`${r.partition}:${r.offset}`, r.value]));
  for (const s of seenLive) assert.equal(afterRestart.get(`${s.partition}:${s.offset}`), s.value, `${s.partition}:${s.offset} seen before the kill`);

  // Offsets of each partition run 0, 1, 2, ... with no gap.
  for (const p of [0, 1, 2]) {
    const offsets = rows.filter((r) => r.partition === p).map((r) => r.offset);
    assert.deepEqual(offsets, offsets.map((_, i) => i), `partition ${p} offsets`);
  }
  // Every acknowledged message is present, and each producer's messages are in its send order.
  for (const [name, seqs] of acked) {
    const mine = rows.filter((r) => r.value.startsWith(`${name}:`)).map((r) => Number(r.value.split(':')[1]));
    assert.deepEqual(mine.slice(0, seqs.length), seqs, `${name}: acknowledged messages in order`);
    assert.deepEqual(mine, mine.map((_, i) => i), `${name}: no message missing or reordered`);
  }
});
