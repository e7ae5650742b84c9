/**
 * Topics and destroy, end to end with the embedded broker: a topic deleted by hand is drift that apply
 * re-creates (a broker crash-restart in between does not), a topic a client created is left alone, partitions
 * grow in place; destroy stops the space and keeps topic data, `destroy --include-data` deletes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, until } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';

const YAML = `name: tp
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

test('topics: drift re-created, client topics left alone, partitions grow; destroy keeps data unless --include-data', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const topics = async () =>
    Object.fromEntries(
      (JSON.parse((await space.cli(['topics', '--json'])).stdout) as { topics: { name: string; partitions: unknown[] }[] }).topics.map((x) => [x.name, x.partitions.length]),
    );
  assert.deepEqual((await planJson(space)).plan.changes, []);

  assert.equal((await space.cli(['topics:create', 'scratch'])).code, 0);
  assert.deepEqual((await planJson(space)).plan.changes, [], 'a topic not in the file nor in state is not managed');

  assert.equal((await space.cli(['topics:delete', 'orders', '--confirm', 'orders'])).code, 0);
  // A broker crash-restart starts from the topics as changed since, so the deleted file topic stays deleted.
  const crashed = space.state().processes['addons.events:broker']!.pid;
  process.kill(crashed, 'SIGKILL');
  await until(async () => {
    const pid = space.state().processes['addons.events:broker']?.pid;
    return pid !== undefined && pid !== crashed && (await space.cli(['topics', '--json'])).code === 0;
  }, 30_000, 'the broker to be restarted');
  assert.deepEqual(await topics(), { scratch: 1 });
  const p = await planJson(space);
  assert.deepEqual(p.plan.changes, [{ address: 'addons.events.topics.orders', action: 'create', before: null, after: { partitions: 2, retention: 604_800_000, retention_bytes: null }, drift: true }]);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  assert.equal((await topics()).orders, 2);

  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('orders: { partitions: 2 }', 'orders: { partitions: 3 }'));
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => [c.address, c.action]), [['addons.events.topics.orders', 'update']]);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  assert.deepEqual(await topics(), { orders: 3, scratch: 1 });

  const data = join(space.dir, '.spaceport', 'events', 'events');
  const destroy = await space.cli(['destroy', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr);
  assert.match(destroy.stdout, /# addons\.events\.topics\.orders will be destroyed \(its data is kept\)/);
  assert.match(destroy.stdout, /Destroy complete! Resources: \d+ destroyed\./);
  assert.equal((await space.cli(['status'])).code, 1, 'the space is stopped');
  assert.ok(existsSync(data), 'topic data kept');
  assert.deepEqual(space.state() as unknown as { resources: object }, { ...(space.state() as object), resources: {} });

  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await topics()).orders, 3, 'the kept topic is back after up');
  const all = await space.cli(['destroy', '--include-data', '--confirm', 'tp'], { timeoutMs: 60_000 });
  assert.equal(all.code, 0, all.stdout + all.stderr);
  assert.ok(!existsSync(data), 'topic data deleted with --include-data');
  // A stopped space: destroy forgets what state recorded, with nothing to stop.
  const stopped = await space.cli(['destroy', '--auto-approve']);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /is not running: 0 recorded resource\(s\) will be forgotten/);
});
