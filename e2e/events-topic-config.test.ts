/**
 * Topic configs a Kafka client passes to CreateTopics (kafkajs's configEntries, kafka-topics --config): a value the
 * broker cannot honour is refused with INVALID_CONFIG, as Kafka does, instead of creating a topic that keeps or
 * deletes its records other than asked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker;
before(async () => {
  broker = await startBroker();
});
after(async () => {
  await broker?.kill();
});

test('retention.ms / retention.bytes must be whole numbers (-1: unlimited); cleanup.policy=compact is refused', async () => {
  const admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await admin.connect();
  try {
    // kafkajs reports the code only (its own 'Configuration is invalid'); the broker's message says which value.
    const refused = async (topic: string, name: string, value: string) => {
      const err = await admin.createTopics({ topics: [{ topic, configEntries: [{ name, value }] }] }).then(
        () => undefined,
        (e: { errors?: { type: string; message: string }[] }) => e.errors?.[0],
      );
      assert.ok(err, `${name}=${value} is refused`);
      assert.equal(err.type, 'INVALID_CONFIG', `${name}=${value}`);
    };
    await refused('a', 'retention.ms', 'soon'); // created with no retention at all ("forever") before
    await refused('b', 'retention.bytes', '1GiB');
    await refused('c', 'retention.ms', '-5');
    await refused('d', 'cleanup.policy', 'compact'); // would have been deleted by retention instead
    await refused('e', 'retention.msec', '60000'); // a typo: the topic kept its records for the default 7 days
    // Kafka topic configs this broker does not implement are accepted, as clients pass them routinely.
    assert.equal(await admin.createTopics({ topics: [{ topic: 'ok', configEntries: [{ name: 'retention.ms', value: '60000' }, { name: 'retention.bytes', value: '-1' }, { name: 'cleanup.policy', value: 'delete' }, { name: 'min.insync.replicas', value: '1' }] }] }), true);
    const { topics } = (await broker.admin('GET', '/v1/topics')).body as { topics: { name: string; retentionMs: number | null; retentionBytes: number | null }[] };
    assert.deepEqual(topics.map((t) => [t.name, t.retentionMs, t.retentionBytes]), [['ok', 60_000, null]], 'nothing was created for the refused ones');
  } finally {
    await admin.disconnect();
  }
});

test('topics:create with a bad name says which name and why (the broker\'s admin answer the CLI prints)', async () => {
  const r = await broker.admin('POST', '/v1/topics', { name: 'bad name', partitions: 1 });
  assert.equal(r.status, 400);
  assert.match((r.body as { error: { message: string } }).error.message, /^"bad name" is not a valid topic name: topic names are 1-249 letters, digits/);
});
