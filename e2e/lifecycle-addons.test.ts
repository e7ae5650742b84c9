/**
 * Add-ons applied to a running space: a Postgres and a Kafka add-on added to the file are started by
 * `apply` (no down/up), the app attaching them gets DATABASE_URL / KAFKA_URL in a new release with a rolling
 * restart, a real pg client and a real kafkajs client use them; a `moved:` rename keeps the rows; removing
 * one stops it and keeps its data; destroy keeps a database, destroy --include-data deletes its data,
 * credentials and port.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { makePgSpace, type PgSpace } from './postgres-support.js';
import { planJson } from './lifecycle-support.js';

/** Answers with the add-on vars it was started with. */
const ENV_APP = `import { createServer } from 'node:http';
const vars = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'DATABASE_URL' || k === 'KAFKA_URL'));
createServer((req, res) => res.end(JSON.stringify(vars))).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const BASE = `name: la
apps:
  web:
    root: ./app
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

let space: PgSpace;
after(() => space?.cleanup());

const vars = async (): Promise<Record<string, string>> => {
  const r = await space.cli(['ps', '--json']);
  const d = (JSON.parse(r.stdout) as { app: string; dyno: string; port: number; state: string }[]).find((x) => x.app === 'web' && x.dyno === 'web.1' && x.state === 'up');
  if (!d) throw new Error(`no web.1 up: ${r.stdout}`);
  return (await (await fetch(`http://127.0.0.1:${d.port}/`)).json()) as Record<string, string>;
};

const sql = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};

test('add-ons added, renamed and removed in a running space, live', async () => {
  space = makePgSpace(BASE, { 'app/web.mjs': ENV_APP });
  const file = join(space.dir, 'spaceport.yaml');
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(await vars(), {});

  // Add a database and a broker with a topic, attached to web: one apply, the space keeps running.
  writeFileSync(
    file,
    BASE.replace('    processes: { web: node web.mjs }\n', '    processes: { web: node web.mjs }\n    addons: [db, events]\n') +
      'addons:\n  db: { type: postgres }\n  events:\n    type: kafka\n    port: 0\n    topics:\n      orders: { partitions: 1 }\n',
  );
  const plan = await planJson(space);
  assert.deepEqual(
    plan.plan.changes.map((c) => `${c.action} ${c.address}`),
    ['create addons.db', 'create addons.events', 'create addons.events.topics.orders', 'update apps.web'],
  );
  const applied = await space.cli(['apply', '--auto-approve'], 120_000);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const env = await vars();
  assert.match(env.DATABASE_URL ?? '', /^postgres:\/\/.+@127\.0\.0\.1:\d+\//);
  assert.match(env.KAFKA_URL ?? '', /^kafka:\/\/127\.0\.0\.1:\d+$/);
  const rels = JSON.parse((await space.cli(['releases', '-a', 'web', '--json'])).stdout) as { version: string; description: string }[];
  assert.match(rels[0]!.description, /^Attach db, Attach events \(DATABASE_URL, KAFKA_URL\)$/);
  assert.equal((await planJson(space)).code, 0, 'nothing left to do');

  // Real clients on what the app was given.
  await sql(env.DATABASE_URL!, async (c) => {
    await c.query('CREATE TABLE notes (body text)');
    await c.query("INSERT INTO notes VALUES ('kept')");
  });
  const kafka = new Kafka({ clientId: 'la', brokers: [env.KAFKA_URL!.replace('kafka://', '')], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'orders', messages: [{ value: 'o1' }] });
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets('orders');
  await admin.disconnect();
  assert.equal(offsets[0]!.high, '1');

  // Rename the database with moved: live; the rows and the URL's value stay.
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace('addons: [db, events]', 'addons: [maindb, events]').replace('  db: { type: postgres }', '  maindb: { type: postgres }') + 'moved:\n  - { from: addons.db, to: addons.maindb }\n');
  const mplan = await planJson(space);
  assert.deepEqual(mplan.plan.changes.map((c) => `${c.action} ${c.address}`), ['move addons.maindb', 'update apps.web']);
  const moved = await space.cli(['apply', '--auto-approve'], 120_000);
  assert.equal(moved.code, 0, moved.stdout + moved.stderr);
  assert.ok(existsSync(join(space.dir, '.spaceport', 'postgres', 'maindb')) && !existsSync(join(space.dir, '.spaceport', 'postgres', 'db')));
  const env2 = await vars();
  assert.equal(env2.DATABASE_URL, env.DATABASE_URL, 'same credentials, port and database');
  assert.deepEqual(await sql(env2.DATABASE_URL!, async (c) => (await c.query('SELECT body FROM notes')).rows), [{ body: 'kept' }]);
  assert.equal((await planJson(space)).code, 0);

  // Rename the broker too: its topics and records follow, KAFKA_URL keeps its value.
  writeFileSync(file, readFileSync(file, 'utf8').replace('addons: [maindb, events]', 'addons: [maindb, bus]').replace('  events:\n', '  bus:\n') + '  - { from: addons.events, to: addons.bus }\n');
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => `${c.action} ${c.address}`), ['move addons.bus', 'update apps.web']);
  const busMoved = await space.cli(['apply', '--auto-approve'], 120_000);
  assert.equal(busMoved.code, 0, busMoved.stdout + busMoved.stderr);
  assert.equal((await vars()).KAFKA_URL, env.KAFKA_URL);
  const admin2 = kafka.admin();
  await admin2.connect();
  assert.equal((await admin2.fetchTopicOffsets('orders'))[0]!.high, '1', 'the record is still there');
  await admin2.disconnect();
  assert.equal((await planJson(space)).code, 0);

  // Remove the broker: consent needed (its apps lose it); it stops, its data stays, the app loses KAFKA_URL.
  writeFileSync(file, readFileSync(file, 'utf8').replace('addons: [maindb, bus]', 'addons: [maindb]').replace(/  bus:\n(    .*\n)+?      orders: \{ partitions: 1 \}\n/, ''));
  const refused = await space.cli(['apply', '--auto-approve'], 60_000);
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stdout, /addons\.bus would be destroyed: its apps lose it/);
  const removed = await space.cli(['apply', '--auto-approve', '--allow-destroy'], 60_000);
  assert.equal(removed.code, 0, removed.stdout + removed.stderr);
  assert.deepEqual(Object.keys(await vars()), ['DATABASE_URL']);
  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services: Record<string, unknown> };
  assert.deepEqual(Object.keys(status.services).filter((n) => n.startsWith('addons.')), ['addons.maindb']);
  assert.ok(existsSync(join(space.dir, '.spaceport', 'events', 'bus', 'topics', 'orders')), 'topic data kept');
  assert.equal((await planJson(space)).code, 0);

  // destroy keeps the database (directory and credentials); destroy --include-data deletes both.
  const pgHome = join(space.dir, '.spaceport', 'postgres', 'maindb');
  const pgState = () => space.state() as unknown as { sections: { postgres?: Record<string, unknown> }; ports: Record<string, number> };
  const kept = await space.cli(['destroy', '--auto-approve'], 60_000);
  assert.equal(kept.code, 0, kept.stdout + kept.stderr);
  assert.ok(existsSync(pgHome) && pgState().sections.postgres?.maindb, 'data and credentials kept');
  assert.equal((await space.cli(['up', '-d'], 120_000)).code, 0);
  assert.deepEqual(await sql((await vars()).DATABASE_URL!, async (c) => (await c.query('SELECT body FROM notes')).rows), [{ body: 'kept' }]);
  const gone = await space.cli(['destroy', '--include-data', '--confirm', 'la'], 60_000);
  assert.equal(gone.code, 0, gone.stdout + gone.stderr);
  assert.ok(!existsSync(pgHome), 'data directory deleted');
  assert.equal(pgState().sections.postgres?.maindb, undefined, 'credentials forgotten');
  assert.equal(pgState().ports['addons.maindb'], undefined, 'port forgotten');
});
