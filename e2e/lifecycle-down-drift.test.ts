/**
 * down names the admin-API changes, scales and client-set topic configs it loses (the next up starts from the file)
 * and says how to keep them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, type ConfigResourceTypes } from 'kafkajs';
import { makeSpace } from './runtime-support.js';
import { admin, gatewayOf, planJson, WEB } from './lifecycle-support.js';

const YAML = `name: dd
apps:
  web:
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      routes:
        root: { paths: [/api] }
`;

test('down warns of admin-API changes it loses, naming each; none without them', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const quiet = await space.cli(['down'], { timeoutMs: 30_000 });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /Warning/);

  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const gw = await gatewayOf(space);
  assert.equal((await admin(gw, 'POST', '/services/api/routes', { name: 'extra', paths: ['/extra'] })).status, 201);
  assert.equal((await admin(gw, 'DELETE', '/routes/root')).status, 204);
  assert.equal((await space.cli(['scale', 'web=2', '-a', 'web'], { timeoutMs: 30_000 })).code, 0);
  const down = await space.cli(['down'], { timeoutMs: 30_000 });
  assert.equal(down.code, 0, down.stderr);
  assert.match(
    down.stderr,
    /^Warning: stopping loses 3 changes made outside spaceport\.yaml \(the next `spaceport up` starts the gateway, the formation and the topics' configs from the file\):\n  ~ apps\.web\.formation\.web \(scaled to 2 outside the file; up starts the file's 1\)\n  - gateway\.services\.api\.routes\.root \(deleted through the admin API\)\n  \+ gateway\.services\.api\.routes\.extra \(created through the admin API\)\nTo keep them, write them into spaceport\.yaml before stopping: `spaceport plan --adopt` \(then `spaceport down`\)\.\n/,
  );
});

test('down warns of a declared topic whose config a Kafka client changed; up brings the file\'s back', async (t) => {
  const space = makeSpace(t, `name: ddk
addons:
  events:
    type: kafka
    port: 0
    topics:
      orders: { retention: 1d }
apps:
  web:
    processes: { web: node web.mjs }
    addons: [events]
gateway:
  listen: 127.0.0.1:0
  workers: 1
`, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services?: Record<string, { url?: string }> };
  const broker = (status.services?.['addons.events']?.url ?? '').replace('kafka://', '');
  const kafka = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  await kafka.connect();
  // A topic a client creates is the broker's data: it stays, and is not named.
  await kafka.createTopics({ topics: [{ topic: 'scratch' }] });
  await kafka.alterConfigs({ validateOnly: false, resources: [{ type: 2 as ConfigResourceTypes, name: 'orders', configEntries: [{ name: 'retention.ms', value: String(2 * 3_600_000) }] }] });
  await kafka.disconnect();
  const down = await space.cli(['down'], { timeoutMs: 30_000 });
  assert.equal(down.code, 0, down.stderr);
  assert.match(
    down.stderr,
    /^Warning: stopping loses 1 change made outside spaceport\.yaml \(the next `spaceport up` starts the gateway, the formation and the topics' configs from the file\):\n  ~ addons\.events\.topics\.orders \(config changed by a Kafka client; up applies the file's\)\nTo keep them/,
  );
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await planJson(space)).code, 0, 'up applied the file\'s retention: no drift left');
});
