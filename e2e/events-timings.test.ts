/**
 * The broker's produce timings line: where a produce's time goes inside the broker (append, wait for the flush,
 * fsync, whole request, event-loop delay), logged once per interval when there were produces and not otherwise.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker | undefined;
after(async () => {
  await broker?.kill();
});

const LINE = /produce timings, last \d+ s, (\d+) requests, p50 \/ p99: append [\d.]+ \/ [\d.]+ ms, wait for the flush [\d.]+ \/ [\d.]+ ms, fsync [\d.]+ \/ [\d.]+ ms \((\d+) rounds\), whole request [\d.]+ \/ [\d.]+ ms; event-loop delay [\d.]+ \/ [\d.]+ ms/g;

test('a produce timings line per interval with produces, none in a quiet interval', async () => {
  broker = await startBroker({ config: { produceTimingsMs: 400 } });
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'timed', acks: -1, messages: [{ value: 'warm-up' }] }); // auto-creates the topic
  const count = () => [...broker!.output().matchAll(LINE)];
  const before = (await eventually(() => (count().length > 0 ? count() : undefined), 5000, "the warm-up's line")).length;
  for (let i = 0; i < 3; i++) await producer.send({ topic: 'timed', acks: -1, messages: [{ value: `m${i}` }] });
  await producer.disconnect();
  // The three may fall into one interval or two: their lines add up to three answered produces.
  const lines = await eventually(() => {
    const all = count().slice(before);
    return all.reduce((n, m) => n + Number(m[1]), 0) >= 3 ? all : undefined;
  }, 5000, 'produce timings lines');
  assert.equal(lines.reduce((n, m) => n + Number(m[1]), 0), 3, lines.map((m) => m[0]).join('\n'));
  assert.ok(lines.every((m) => Number(m[2]) >= 1), 'at least one fsync round per line');
  await new Promise((r) => setTimeout(r, 1000)); // two quiet intervals
  assert.equal(count().length, before + lines.length, 'no line without produces');
});
