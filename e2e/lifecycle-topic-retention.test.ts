/**
 * A topic's retention in spaceport.yaml reaches the running broker through plan and apply, as its partitions do:
 * apply created a file topic in a running space with the broker's defaults (7d, no size limit) and planned a
 * changed retention as "No changes"; only the next start of the broker applied the file's values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';

const YAML = `name: rt
addons:
  events:
    type: kafka
    port: 0
apps:
  web:
    processes: { web: node web.mjs }
    addons: [events]
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

test('retention and retention_bytes: created with the topic, changed in place, shown in plan', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const live = async () => {
    const r = JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string; retentionMs: number | null; retentionBytes: number | null }[] };
    return r.topics.map((x) => [x.name, x.retentionMs, x.retentionBytes]);
  };
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    port: 0\n', '    port: 0\n    topics:\n      orders: { partitions: 2, retention: 1h, retention_bytes: 10MB }\n'));
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  assert.deepEqual(await live(), [['orders', 3_600_000, 10_485_760]], 'created with the file\'s retention, not 7d and unlimited');

  writeFileSync(file, readFileSync(file, 'utf8').replace('retention: 1h, retention_bytes: 10MB', 'retention: 30d'));
  const p = await planJson(space);
  assert.deepEqual(p.plan.changes.map((c) => [c.address, c.action]), [['addons.events.topics.orders', 'update']]);
  const text = (await space.cli(['plan'])).stdout;
  assert.match(text, /~ retention: 1h → 30d/);
  assert.match(text, /~ retention_bytes: 10485760 → null/);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  assert.deepEqual(await live(), [['orders', 2_592_000_000, null]]);
  assert.deepEqual((await planJson(space)).plan.changes, []);
});
