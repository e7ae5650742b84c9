/** destroy --target of a topic: refused without --include-data (a topic is its records), done with it; the add-on and the app stay. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpace } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';

const YAML = `name: dtt
addons:
  events:
    type: kafka
    port: 0
    topics:
      orders: { partitions: 2 }
      audit: { partitions: 1 }
apps:
  web:
    processes: { web: node web.mjs }
    addons: [events]
`;

test('destroy --target a topic needs --include-data and the space name; it deletes that topic only', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const topics = async () => (JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string }[] }).topics.map((x) => x.name).sort();
  assert.deepEqual(await topics(), ['audit', 'orders']);

  const kept = await space.cli(['destroy', '--auto-approve', '--target', 'addons.events.topics.orders']);
  assert.equal(kept.code, 1);
  assert.match(kept.stderr, /addons\.events\.topics\.orders: destroying a topic deletes its records, and destroy keeps data unless --include-data; .*Nothing was destroyed\./);
  assert.equal((await space.cli(['destroy', '--auto-approve', '--include-data', '--target', 'addons.events.topics.orders'])).code, 1, '--include-data takes the space name, not --auto-approve');
  assert.deepEqual(await topics(), ['audit', 'orders']);

  const gone = await space.cli(['destroy', '--include-data', '--confirm', 'dtt', '--target', 'addons.events.topics.orders'], { timeoutMs: 30_000 });
  assert.equal(gone.code, 0, gone.stdout + gone.stderr);
  assert.match(gone.stdout, /Warning: addons\.events\.topics\.orders is destroyed with its data: its records are deleted/);
  assert.match(gone.stdout, /Destroy complete! Resources: 1 destroyed\./);
  assert.deepEqual(await topics(), ['audit'], 'the other topic, the broker and the app stay');
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => `${c.action} ${c.address}`), ['create addons.events.topics.orders']);
});
