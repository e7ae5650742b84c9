/**
 * The Kafka add-on in a running space: `spaceport up` starts the broker under the supervisor, apps that attach
 * it get KAFKA_URL (or <AS>_URL), configured topics exist, and the topics/groups CLI works through the control
 * API. `down` stops the broker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { alive, makeSpace, ps } from './runtime-support.js';

const YAML = `name: kafka-space
gateway:
  listen: 127.0.0.1:0
  workers: 1
addons:
  bus:
    type: kafka
    port: 0
    topics:
      orders: { partitions: 3, retention: 1d }
apps:
  api:
    addons: [bus, { name: bus, as: EVENTS }]
    processes:
      web: node web.mjs
`;
const WEB = `import { createServer } from 'node:http';
createServer((q, r) => r.end(JSON.stringify({ kafka: process.env.KAFKA_URL ?? null, events: process.env.EVENTS_URL ?? null }))).listen(Number(process.env.PORT), '127.0.0.1');`;

test('a kafka add-on runs the broker, gives KAFKA_URL to attached apps, and serves topics/groups commands', async (t) => {
  const space = makeSpace(t, YAML, { api: { 'web.mjs': WEB } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const [web] = await ps(space, 'api');
  const env = await space.get<{ kafka: string; events: string }>(web!.port);
  const m = /^kafka:\/\/127\.0\.0\.1:(\d+)$/.exec(env.kafka);
  assert.ok(m, `KAFKA_URL is ${env.kafka}`);
  assert.equal(env.events, env.kafka, 'an attachment `as: EVENTS` sets EVENTS_URL');
  const port = Number(m[1]);

  const topics = JSON.parse((await space.cli(['topics', '--json'])).stdout) as { addon: string; topics: Array<{ name: string; partitions: unknown[]; retentionMs: number }> };
  assert.deepEqual(topics.topics.map((x) => [x.name, x.partitions.length, x.retentionMs]), [['orders', 3, 86_400_000]]);

  const created = await space.cli(['topics:create', 'extra', '--partitions', '2']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created topic extra with 2 partition\(s\) in bus/);
  const dup = await space.cli(['topics:create', 'extra']);
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /topic extra already exists/);
  // Heroku Kafka's and Kafka's flags work as written: a retention, a replication factor of 1; more replicas or
  // compaction are usage errors that say what to write, and create nothing.
  const heroku = await space.cli(['topics:create', 'clicks', '--retention-time', '36h', '--replication-factor', '1']);
  assert.equal(heroku.code, 0, heroku.stderr);
  assert.match(heroku.stdout, /Created topic clicks with 1 partition\(s\), records kept 36h in bus\./);
  const replicas = await space.cli(['topics:create', 'more', '--replication-factor', '3']);
  assert.equal(replicas.code, 2);
  assert.match(replicas.stderr, /--replication-factor 3: a space's broker is one node, so every partition has 1 replica; leave the flag out or give 1/);
  const compacted = await space.cli(['topics:create', 'more', '--compaction']);
  assert.equal(compacted.code, 2);
  assert.match(compacted.stderr, /--compaction: the broker does not compact logs/);
  const badTime = await space.cli(['topics:create', 'more', '--retention-time', 'soon']);
  assert.equal(badTime.code, 2);
  assert.match(badTime.stderr, /--retention-time soon: give a duration such as 7d, 36h or 90m/);
  const listed = JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: Array<{ name: string; retentionMs: number }> };
  assert.deepEqual(listed.topics.map((x) => [x.name, x.retentionMs]), [['clicks', 129_600_000], ['extra', 604_800_000], ['orders', 86_400_000]]);

  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'orders', acks: -1, messages: [{ key: 'k1', value: 'first' }, { key: 'k1', value: 'second' }] });
  await producer.disconnect();
  const tail = await space.cli(['topics:tail', 'orders', '--from-beginning', '-n', '2']);
  assert.equal(tail.code, 0, tail.stderr);
  assert.match(tail.stdout, /^\d:0 {2}k1 {2}first\n\d:1 {2}k1 {2}second\n$/);

  const consumer = kafka.consumer({ groupId: 'billing', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders', fromBeginning: true });
  let seen = 0;
  await consumer.run({ eachMessage: async () => void seen++ });
  while (seen < 2) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  const groups = JSON.parse((await space.cli(['groups', '--json'])).stdout) as { groups: Array<{ group: string; offsets: Array<{ committed: number; lag: number }> }> };
  const billing = groups.groups.find((g) => g.group === 'billing')!;
  assert.deepEqual(billing.offsets.map((o) => [o.committed, o.lag]), [[2, 0]]);
  const text = await space.cli(['groups']);
  assert.match(text.stdout, /=== billing {2}Empty/);

  assert.equal((await space.cli(['topics:delete', 'extra', '--confirm', 'extra'])).code, 0);
  const missing = await space.cli(['topics:delete', 'extra']);
  assert.match(missing.stderr, /topic extra does not exist/);

  const brokerPid = (space.state().processes['addons.bus:broker'] as { pid: number } | undefined)?.pid;
  assert.ok(brokerPid && alive(brokerPid), 'the broker is a recorded platform process');
  assert.equal((await space.cli(['down'])).code, 0);
  assert.equal(alive(brokerPid), false, 'down stops the broker');
});
