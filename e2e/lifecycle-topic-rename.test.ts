/**
 * A topic renamed with `moved:` is renamed in place by the broker: records produced before the rename are read
 * under the new name with kafkajs, and a group's committed offset moves with it. While a consumer group has
 * members on the topic, apply refuses the rename with what to do; the plan warns about it beforehand. A broker
 * that crashes after the rename is restarted with the topics as applied (the old name does not come back).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { makeSpace, until } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';

const YAML = `name: tr
addons:
  events:
    type: kafka
    port: 0
    topics:
      orders: { partitions: 2 }
apps:
  web:
    processes: { web: node web.mjs }
    addons: [events]
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

test('a moved topic keeps its records and committed offsets; refused while consumed', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services: Record<string, { url?: string }> };
  const kafka = new Kafka({ clientId: 'tr', brokers: [status.services['addons.events']!.url!.replace('kafka://', '')], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'orders', messages: [{ key: 'a', value: 'o1' }, { key: 'b', value: 'o2' }, { key: 'c', value: 'o3' }] });
  await producer.disconnect();

  const consume = async (topic: string, n: number): Promise<{ consumer: Consumer; values: string[] }> => {
    const consumer = kafka.consumer({ groupId: 'billing', sessionTimeout: 6000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${n} from ${topic}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === n) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return { consumer, values };
  };
  // The group reads two of three records and commits (autocommit on stop).
  const first = await consume('orders', 3);
  assert.deepEqual(first.values.sort(), ['o1', 'o2', 'o3']);

  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('      orders: { partitions: 2 }', '      purchases: { partitions: 2 }') + 'moved:\n  - { from: addons.events.topics.orders, to: addons.events.topics.purchases }\n');
  const plan = await planJson(space);
  assert.deepEqual(plan.plan.changes.map((c) => `${c.action} ${c.from ?? ''} ${c.address}`), ['move addons.events.topics.orders addons.events.topics.purchases']);
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /Warning: addons\.events\.topics\.orders is renamed to addons\.events\.topics\.purchases in place, keeping its records.*Consumers of it must be stopped first/);

  // Refused while the group has a member on it; nothing changes.
  const refused = await space.cli(['apply', '--auto-approve']);
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stdout, /topic orders is being consumed by group billing \(1 member\); stop its consumers/);
  await first.consumer.disconnect();

  const applied = await space.cli(['apply', '--auto-approve']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /Apply complete! Resources: 0 added, 0 changed, 0 destroyed, 1 moved\./);
  const topics = (JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string; partitions: { logEndOffset: number }[] }[] }).topics;
  assert.deepEqual(topics.map((x) => [x.name, x.partitions.reduce((n, p) => n + p.logEndOffset, 0)]), [['purchases', 3]]);
  const admin = kafka.admin();
  await admin.connect();
  const committed = await admin.fetchOffsets({ groupId: 'billing', topics: ['purchases'] });
  await admin.disconnect();
  assert.equal(committed[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0), 3, 'the group keeps its position under the new name');

  // A new consumer (no group history) reads the records produced before the rename under the new name.
  const reader = kafka.consumer({ groupId: 'fresh', sessionTimeout: 6000, heartbeatInterval: 500 });
  await reader.connect();
  await reader.subscribe({ topic: 'purchases', fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${values.length} of 3`)), 20_000);
    void reader.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length === 3) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await reader.disconnect();
  assert.deepEqual(values.sort(), ['o1', 'o2', 'o3']);
  assert.equal((await planJson(space)).code, 0, 'nothing left to do');

  // The broker crashes before the next `up`: the supervisor restarts it with the topics as applied, so the old
  // name does not come back (empty) and the renamed topic keeps its records.
  const brokerPid = () => space.state().processes['addons.events:broker']?.pid;
  const crashed = brokerPid()!;
  process.kill(crashed, 'SIGKILL');
  await until(async () => {
    const pid = brokerPid();
    if (!pid || pid === crashed) return false;
    const r = await space.cli(['topics', '--json']);
    return r.code === 0;
  }, 30_000, 'the broker to be restarted');
  const after = (JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string; partitions: { logEndOffset: number }[] }[] }).topics;
  assert.deepEqual(after.map((x) => [x.name, x.partitions.reduce((n, p) => n + p.logEndOffset, 0)]), [['purchases', 3]]);
  assert.equal((await planJson(space)).code, 0, 'still nothing to do after the restart');
});
