/**
 * Kafka admin changes in a running space, as a user meets them: a topic's config changed by a Kafka client
 * (kafkajs AlterConfigs) or grown by one (CreatePartitions) shows as drift in `spaceport plan` (the file is
 * authoritative), survives a broker crash-restart, and apply sets the file's values back; the control API deletes
 * a topic only with the name repeated (`?confirm=NAME`), and `topics:delete --confirm` sends it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel, type ConfigResourceTypes } from 'kafkajs';
import { makeSpace } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';
import { eventually } from './events-support.js';

const YAML = `name: kadmin
addons:
  events:
    type: kafka
    port: 0
    topics:
      orders: { partitions: 2, retention: 1d }
apps:
  web:
    processes: { web: node web.mjs }
    addons: [events]
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;
const TOPIC = 2 as ConfigResourceTypes;

function control(socket: string, method: string, path: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string; message: string } } }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the control API deletes a topic only with confirm=NAME; out-of-band AlterConfigs and CreatePartitions show as drift in plan, survive a crash-restart, and apply restores the file', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await planJson(space)).code, 0, 'nothing to do after up');

  // DELETE /v1/topics/:name needs confirm=NAME; topics:delete --confirm sends it.
  assert.equal((await space.cli(['topics:create', 'scratch'])).code, 0);
  const socket = join(space.dir, '.spaceport', 'control.sock');
  const bare = await control(socket, 'DELETE', '/v1/topics/scratch');
  assert.equal(bare.status, 400);
  assert.equal(bare.body.error!.code, 'confirmation_required');
  assert.match(bare.body.error!.message, /send confirm=scratch \(DELETE \/v1\/topics\/scratch\?confirm=scratch; the CLI: spaceport topics:delete scratch --confirm scratch\)/);
  const wrong = await control(socket, 'DELETE', '/v1/topics/scratch?confirm=other');
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error!.code, 'confirmation_mismatch');
  const topics = async () => (JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string }[] }).topics.map((x) => x.name);
  assert.deepEqual(await topics(), ['orders', 'scratch'], 'nothing deleted');
  const del = await space.cli(['topics:delete', 'scratch', '--confirm', 'scratch']);
  assert.equal(del.code, 0, del.stderr);
  assert.deepEqual(await topics(), ['orders']);
  assert.equal((await control(socket, 'DELETE', '/v1/topics/gone?confirm=gone')).status, 404, 'confirmed, but no such topic');

  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services?: Record<string, { url?: string }> };
  const url = status.services?.['addons.events']?.url ?? '';
  const brokers = [url.replace('kafka://', '')];
  assert.match(brokers[0]!, /^127\.0\.0\.1:\d+$/, `the broker's url in status: ${url}`);
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await admin.connect();
  t.after(() => admin.disconnect());

  // `spaceport groups`: an assigned partition with no committed offset shows its log end; COMMITTED and LAG "-".
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'orders', messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'readers', maxWaitTimeInMs: 200 });
  let read = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders', fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async () => void read++ });
  try {
    await eventually(() => read === 2, 15_000, 'the two records read');
    const text = (await space.cli(['groups'])).stdout;
    const rows = text.split('\n').filter((l) => l.startsWith('orders ')).map((l) => l.split(/\s+/).slice(0, 5).join(' '));
    assert.deepEqual(rows, ['orders 0 - 0 -', 'orders 1 - 2 -'], text);
  } finally {
    await consumer.disconnect();
  }

  await admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'orders', configEntries: [{ name: 'retention.ms', value: String(2 * 3_600_000) }] }] });
  let p = await planJson(space);
  assert.equal(p.code, 2);
  assert.deepEqual(p.plan.changes.map((c) => [c.address, c.action]), [['addons.events.topics.orders', 'update']]);
  assert.match((await space.cli(['plan'])).stdout, /~ retention: 2h → 1d/);

  // A crash-restart of the broker starts from its data: the change (and so the drift) is still there.
  const brokerPid = () => space.state().processes['addons.events:broker']?.pid;
  const crashed = brokerPid()!;
  process.kill(crashed, 'SIGKILL');
  await eventually(async () => {
    const pid = brokerPid();
    return pid && pid !== crashed && (await space.cli(['topics', '--json'])).code === 0;
  }, 30_000, 'the broker to be restarted');
  assert.match((await space.cli(['plan'])).stdout, /~ retention: 2h → 1d/, 'not silently set back by the restart');

  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  const described = await admin.describeConfigs({ resources: [{ type: TOPIC, name: 'orders', configNames: ['retention.ms'] }], includeSynonyms: false });
  assert.equal(described.resources[0]!.configEntries[0]!.configValue, '86400000', 'apply set the file\'s value again');
  assert.equal((await planJson(space)).code, 0);

  // Partitions grown by a client: the file's 2 would mean a new topic (a replace that deletes the records).
  await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 4 }] });
  p = await planJson(space);
  assert.deepEqual(p.plan.changes.map((c) => [c.address, c.action]), [['addons.events.topics.orders', 'replace']]);
  const refused = await space.cli(['apply', '--auto-approve']);
  assert.notEqual(refused.code, 0, 'a replace that deletes records needs --allow-destroy');
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('orders: { partitions: 2,', 'orders: { partitions: 4,'));
  assert.equal((await planJson(space)).code, 0, 'the file says 4 too: nothing to do');
});
