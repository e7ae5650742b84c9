/**
 * The broker's produce timings line: where a produce's time goes inside the broker (append, wait for the flush,
 * fsync, whole request, event-loop delay) and the consumer's hops (a long-poll fetch woken by data, offset commits,
 * gc pauses), logged once per interval when there were produces and not otherwise.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker | undefined;
after(async () => {
  await broker?.kill();
});

const LINE = /produce timings, last \d+ s, (\d+) requests, p50 \/ p99: append [\d.]+ \/ [\d.]+ ms, wait for the flush [\d.]+ \/ [\d.]+ ms, fsync [\d.]+ \/ [\d.]+ ms \((\d+) rounds\), whole request [\d.]+ \/ [\d.]+ ms; event-loop delay [\d.]+ \/ [\d.]+ ms; fetch woken by data to response [\d.]+ \/ [\d.]+ ms \((\d+)\), offset commit [\d.]+ \/ [\d.]+ ms \((\d+)\); gc \d+ pauses \(\d+ major\), p99 [\d.]+ ms, max [\d.]+ ms/g;

test('a produce timings line per interval with produces, none in a quiet interval', async () => {
  broker = await startBroker({ config: { produceTimingsMs: 400 } });
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'timed', acks: -1, messages: [{ value: 'warm-up' }] }); // auto-creates the topic
  const count = () => [...broker!.output().matchAll(LINE)];
  const before = (await eventually(() => (count().length > 0 ? count() : undefined), 5000, "the warm-up's line")).length;
  // A consumer that has read the warm-up is long-polling: each send below wakes its fetch, then it commits.
  const consumer = kafka.consumer({ groupId: 'timed', maxWaitTimeInMs: 5000 });
  let consumed = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: 'timed', fromBeginning: true });
  await consumer.run({ eachMessage: async () => void consumed++ });
  await eventually(() => consumed >= 1 || undefined, 10_000, 'the warm-up consumed');
  for (let i = 0; i < 3; i++) {
    // Give the consumer time to commit and send its next fetch, so the send wakes a waiting fetch (a send that lands
    // while it is still committing is read at once, not counted as a wake-up; under load all three could).
    await new Promise((r) => setTimeout(r, 250));
    await producer.send({ topic: 'timed', acks: -1, messages: [{ value: `m${i}` }] });
    await eventually(() => consumed >= i + 2 || undefined, 5000, `m${i} consumed`);
  }
  await consumer.disconnect();
  await producer.disconnect();
  // The three may fall into one interval or two: their lines add up to three answered produces.
  const lines = await eventually(() => {
    const all = count().slice(before);
    return all.reduce((n, m) => n + Number(m[1]), 0) >= 3 ? all : undefined;
  }, 5000, 'produce timings lines');
  assert.equal(lines.reduce((n, m) => n + Number(m[1]), 0), 3, lines.map((m) => m[0]).join('\n'));
  assert.ok(lines.every((m) => Number(m[2]) >= 1), 'at least one fsync round per line');
  assert.ok(lines.reduce((n, m) => n + Number(m[3]), 0) >= 1, 'fetches woken by the sends are counted');
  assert.ok(lines.reduce((n, m) => n + Number(m[4]), 0) >= 1, 'offset commits are counted');
  await new Promise((r) => setTimeout(r, 1000)); // two quiet intervals
  assert.equal(count().length, before + lines.length, 'no line without produces');
});
