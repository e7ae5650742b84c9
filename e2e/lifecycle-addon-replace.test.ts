/**
 * Replacing an add-on in a running space: an embedded Postgres made external (`url:` added), the external
 * URL changed, made embedded again, and its type changed to kafka. Each is a replace in the plan (with why,
 * the password never shown); one that leaves an embedded add-on's data behind needs --allow-destroy; the
 * apps attaching it get the new URL in a new release with a rolling restart; the embedded data stays on disk
 * and serves again when the add-on is embedded again.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { makePgSpace, type PgSpace } from './postgres-support.js';
import { planJson } from './lifecycle-support.js';

/** Answers with the add-on vars it was started with, and its pid (a new pid: the dyno was restarted). */
const ENV_APP = `import { createServer } from 'node:http';
const vars = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.endsWith('_URL') && k !== 'npm_config_registry'));
createServer((req, res) => res.end(JSON.stringify({ vars, pid: process.pid }))).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

const YAML = (db: string) => `name: rep
apps:
  web:
    root: ./app
    processes: { web: node web.mjs }
    addons: [db, { name: other, as: OTHER }]
addons:
  ${db}
  other: { type: postgres }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

let space: PgSpace;
after(() => space?.cleanup());

const web = async (): Promise<{ vars: Record<string, string>; pid: number }> => {
  const r = await space.cli(['ps', '--json']);
  const d = (JSON.parse(r.stdout) as { app: string; dyno: string; port: number; state: string; outgoing?: boolean }[]).find((x) => x.app === 'web' && x.dyno === 'web.1' && x.state === 'up' && !x.outgoing);
  if (!d) throw new Error(`no web.1 up: ${r.stdout}`);
  return (await (await fetch(`http://127.0.0.1:${d.port}/`)).json()) as { vars: Record<string, string>; pid: number };
};

const sql = async <T>(url: string, q: string): Promise<T[]> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(q)).rows as T[];
  } finally {
    await c.end();
  }
};

const releases = async () => JSON.parse((await space.cli(['releases', '-a', 'web', '--json'])).stdout) as { version: string; description: string }[];

test('replacing an add-on: embedded -> external -> other url -> embedded -> another type -> external, live', async () => {
  space = makePgSpace(YAML('db: { type: postgres }'), { 'app/web.mjs': ENV_APP });
  const file = join(space.dir, 'spaceport.yaml');
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  const first = await web();
  const embeddedUrl = first.vars.DATABASE_URL!;
  const otherUrl = first.vars.OTHER_URL!;
  assert.match(embeddedUrl, /^postgres:\/\//);
  await sql(embeddedUrl, "CREATE TABLE t (v text); INSERT INTO t VALUES ('embedded')");
  await sql(otherUrl, "CREATE TABLE t (v text); INSERT INTO t VALUES ('external')");
  const password = new URL(otherUrl).password;
  assert.ok(password.length > 8);

  // 1. Embedded -> external (the `other` server stands in for a database elsewhere): a replace that leaves the
  //    embedded data behind, so it needs --allow-destroy; the app then gets the external URL.
  writeFileSync(file, YAML(`db: { type: postgres, url: "${otherUrl}" }`));
  const p1 = await planJson(space);
  assert.deepEqual(p1.plan.changes.map((c) => `${c.action} ${c.address}`), ['replace addons.db']);
  const text1 = await space.cli(['plan']);
  assert.match(text1.stdout, /addons\.db must be replaced/);
  assert.match(text1.stdout, /url changed/);
  assert.ok(!text1.stdout.includes(password) && !JSON.stringify(p1.plan).includes(password), 'the password is never shown');
  const refused = await space.cli(['apply', '--auto-approve'], 60_000);
  assert.equal(refused.code, 1, refused.stdout);
  assert.match(refused.stdout, /addons\.db would be replaced: /);
  assert.equal((await web()).vars.DATABASE_URL, embeddedUrl, 'nothing changed');
  const a1 = await space.cli(['apply', '--auto-approve', '--allow-destroy'], 120_000);
  assert.equal(a1.code, 0, a1.stdout + a1.stderr);
  const w1 = await web();
  assert.equal(w1.vars.DATABASE_URL, otherUrl, 'the app got the external URL');
  assert.notEqual(w1.pid, first.pid, 'in a new process');
  assert.match((await releases())[0]!.description, /\(DATABASE_URL\)$/);
  assert.deepEqual(await sql(w1.vars.DATABASE_URL!, 'SELECT v FROM t'), [{ v: 'external' }]);
  assert.ok(existsSync(join(space.dir, '.spaceport', 'postgres', 'db')), 'the embedded data stays on disk');
  assert.equal((await planJson(space)).code, 0, 'nothing left to do');

  // 2. Another external URL (same server, database `postgres`): a replace, no data involved, no flag needed.
  const otherDb = otherUrl.replace(/\/[^/]+$/, '/postgres');
  writeFileSync(file, YAML(`db: { type: postgres, url: "${otherDb}" }`));
  const p2 = await planJson(space);
  assert.deepEqual(p2.plan.changes.map((c) => `${c.action} ${c.address}`), ['replace addons.db']);
  const a2 = await space.cli(['apply', '--auto-approve'], 120_000);
  assert.equal(a2.code, 0, a2.stdout + a2.stderr);
  assert.equal((await web()).vars.DATABASE_URL, otherDb);
  assert.equal((await planJson(space)).code, 0);

  // A new password alone is a change too, shown without either password.
  const rotated = otherDb.replace(`:${password}@`, ':rotated-secret-123@');
  writeFileSync(file, YAML(`db: { type: postgres, url: "${rotated}" }`));
  const pw = await space.cli(['plan']);
  assert.match(pw.stdout, /addons\.db must be replaced \(url password changed\)/);
  assert.ok(!pw.stdout.includes(password) && !pw.stdout.includes('rotated-secret-123'), pw.stdout);

  // 3. Embedded again: the kept data serves again under the same URL.
  writeFileSync(file, YAML('db: { type: postgres }'));
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => `${c.action} ${c.address}`), ['replace addons.db']);
  const a3 = await space.cli(['apply', '--auto-approve'], 120_000);
  assert.equal(a3.code, 0, a3.stdout + a3.stderr);
  const w3 = await web();
  assert.equal(w3.vars.DATABASE_URL, embeddedUrl);
  assert.deepEqual(await sql(embeddedUrl, 'SELECT v FROM t'), [{ v: 'embedded' }]);
  assert.equal((await planJson(space)).code, 0);

  // 4. Another type: the app loses DATABASE_URL and gets KAFKA_URL; the database's data stays on disk.
  writeFileSync(file, YAML('db: { type: kafka, port: 0 }'));
  const p4 = await planJson(space);
  assert.deepEqual(p4.plan.changes.map((c) => `${c.action} ${c.address}`), ['replace addons.db']);
  assert.match((await space.cli(['plan'])).stdout, /type changed/);
  assert.equal((await space.cli(['apply', '--auto-approve'], 60_000)).code, 1, 'needs --allow-destroy');
  const a4 = await space.cli(['apply', '--auto-approve', '--allow-destroy'], 120_000);
  assert.equal(a4.code, 0, a4.stdout + a4.stderr);
  const w4 = await web();
  assert.deepEqual(Object.keys(w4.vars).sort(), ['KAFKA_URL', 'OTHER_URL']);
  assert.match(w4.vars.KAFKA_URL!, /^kafka:\/\/127\.0\.0\.1:\d+$/);
  assert.match((await releases())[0]!.description, /\(DATABASE_URL, KAFKA_URL\)$/);
  assert.ok(existsSync(join(space.dir, '.spaceport', 'postgres', 'db')), 'the database stays on disk');
  assert.equal((await planJson(space)).code, 0);

  // 5. The broker made external: seen as a replace (the embedded broker's topics stay on disk), the app follows.
  writeFileSync(file, YAML('db: { type: kafka, url: "kafka://127.0.0.1:19092" }'));
  const p5 = await space.cli(['plan']);
  assert.match(p5.stdout, /addons\.db must be replaced \(url changed\)/);
  const a5 = await space.cli(['apply', '--auto-approve', '--allow-destroy'], 120_000);
  assert.equal(a5.code, 0, a5.stdout + a5.stderr);
  assert.equal((await web()).vars.KAFKA_URL, 'kafka://127.0.0.1:19092');
  assert.ok(existsSync(join(space.dir, '.spaceport', 'events', 'db')), 'the broker data stays on disk');
  assert.equal((await planJson(space)).code, 0);
  assert.ok(!readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8').includes(password), 'the password is not logged');
});
