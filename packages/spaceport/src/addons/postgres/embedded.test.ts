import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import pg from 'pg';
import { postgresServices } from './service.js';
import type { EmbeddedPostgres } from './embedded.js';
import { testContext, testSpace, type TestContext } from './test-context.js';
import type { PgInfo } from './info.js';
import { serverBinaries } from './binaries.js';

/** The major version of the embedded server binaries installed. */
const PG_MAJOR = (await serverBinaries()).major;

// One real server for the whole file: starting one costs about a second.
let t: TestContext;
let svc: EmbeddedPostgres;
const yaml = `
name: pgt
apps:
  web:
    processes: { web: "node server.js" }
    addons: [db, { name: db, as: ANALYTICS }]
  other:
    processes: { web: "node other.js" }
addons:
  db: { type: postgres }
`;

before(async () => {
  t = testContext(await testSpace(yaml));
  svc = postgresServices(t.ctx)[0] as EmbeddedPostgres;
  await svc.start();
});
after(async () => {
  await svc?.stop();
  t?.sup.killAllNow();
  if (t) rmSync(t.dir, { recursive: true, force: true });
});

const query = async (url: string, sql: string, params: unknown[] = []) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
};
const count = async (url: string) => Number((await query(url, 'SELECT count(*) AS n FROM items'))[0].n);

test('attached apps get DATABASE_URL and <AS>_URL on loopback; others get nothing; both work', async () => {
  const web = t.ctx.space.config.apps.web!;
  const env = svc.envFor(web);
  assert.deepEqual(Object.keys(env).sort(), ['ANALYTICS_URL', 'DATABASE_URL']);
  assert.match(env.DATABASE_URL!, /^postgres:\/\/u[0-9a-f]{12}:[A-Za-z0-9_-]{43}@127\.0\.0\.1:\d+\/d[0-9a-f]{12}$/);
  assert.deepEqual(svc.envFor(t.ctx.space.config.apps.other!), {});
  await svc.readyFor(web);
  await query(env.DATABASE_URL!, 'CREATE TABLE items (id serial PRIMARY KEY, name text)');
  await query(env.DATABASE_URL!, 'INSERT INTO items (name) VALUES ($1), ($2)', ['a', 'b']);
  assert.deepEqual((await query(env.ANALYTICS_URL!, 'SELECT name FROM items ORDER BY id')).map((r) => r.name), ['a', 'b']);
});

test('credentials live in the 0600 state file, never in argv; as root the server runs as postgres', async () => {
  const st = t.ctx.state.refresh();
  const creds = (st.sections.postgres as Record<string, { password: string }>).db!;
  assert.equal(statSync(t.ctx.state.file).mode & 0o777, 0o600);
  const pid = (svc.status().pid as number);
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  assert.ok(!argv.includes(creds.password), 'password not in the server argv');
  assert.ok(!t.lines.some((l) => l.includes(creds.password)), 'password not in logs');
  assert.match(argv, /listen_addresses=127\.0\.0\.1/);
  // Readiness waits for postmaster.pid to say ready: no stream of FATAL "starting up" lines from early tries.
  assert.ok(!t.lines.some((l) => l.includes('the database system is starting up')), 'no failed early connection attempts');
  if (process.getuid?.() === 0) {
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
    assert.notEqual(uid, '0');
    assert.equal(statSync(svc.paths.data).uid, Number(uid));
  }
});

test('a first start (initdb) logs no FATAL line: readiness does not probe the database before it is created', () => {
  assert.ok(t.lines.some((l) => l.includes('Initializing a PostgreSQL')), 'this file starts a fresh cluster');
  assert.deepEqual(t.lines.filter((l) => l.includes('FATAL')), []);
});

test('pg info: version, connections, size, masked URL', async () => {
  const url = svc.url();
  const held = new pg.Client({ connectionString: url });
  await held.connect();
  try {
    const info = (await t.call('GET', '/v1/pg/info')) as PgInfo;
    assert.match(info.version, new RegExp(`^${PG_MAJOR}\\.\\d+`));
    assert.ok(info.connections >= 1, `connections ${info.connections}`);
    assert.ok(info.sizeBytes > 1_000_000);
    assert.equal(info.tables, 1);
    assert.ok(info.url.includes(':*****@') && !info.url.includes(new URL(url).password));
  } finally {
    await held.end();
  }
  await assert.rejects(() => Promise.resolve(t.call('GET', '/v1/pg/info', { query: { addon: 'nope' } })), /no postgres add-on named "nope"/);
  const perAddon = (await t.call('GET', '/v1/addons/:name/pg/info', { params: { name: 'db' } })) as PgInfo;
  assert.equal(perAddon.addon, 'db');
  await assert.rejects(() => Promise.resolve(t.call('GET', '/v1/addons/:name/pg/info', { params: { name: 'kafka' } })), /no postgres add-on named "kafka"/);
});

test('SIGKILL of the server: the supervisor restarts it and clients reconnect to the same data', async () => {
  const url = svc.url();
  const pid = svc.status().pid as number;
  process.kill(pid, 'SIGKILL');
  const end = Date.now() + 15_000;
  let n: number | undefined;
  while (Date.now() < end) {
    try {
      n = await count(url);
      if (svc.status().pid !== pid) break;
    } catch {
      // down for a moment
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(n, 2);
  assert.notEqual(svc.status().pid, pid);
  assert.ok((svc.status().restarts as number) >= 1);
});

test('backup then restore brings back the captured rows', async () => {
  const url = svc.url();
  const b = (await t.call('POST', '/v1/pg/backups', { body: {} })) as { id: string; sizeBytes: number };
  assert.equal(b.id, 'b001');
  assert.ok(b.sizeBytes > 0);
  await query(url, "INSERT INTO items (name) VALUES ('after-backup')");
  assert.equal(await count(url), 3);
  const list = (await t.call('GET', '/v1/pg/backups')) as { backups: { id: string }[] };
  assert.deepEqual(list.backups.map((x) => x.id), ['b001']);
  await t.call('POST', '/v1/pg/backups/restore', { body: { backup: 'b001' } });
  assert.equal(await count(url), 2);
  await assert.rejects(() => Promise.resolve(t.call('POST', '/v1/pg/backups/restore', { body: { backup: 'b999' } })), /no backup "b999"/);
  const { restoreBackup, listBackups } = await import('./backups.js');
  const captured = listBackups(t.ctx.space.stateDir)[0]!;
  // A pg_dump of the server's major is on this machine (Debian's postgresql-client matches the embedded 15):
  // the capture is a logical dump in pg_dump's custom format, whose files start with PGDMP.
  assert.equal(captured.kind, 'dump');
  assert.equal(readFileSync(captured.file).subarray(0, 5).toString('latin1'), 'PGDMP');
  const snap = { ...captured, kind: 'snapshot' as const, addon: 'other' };
  await assert.rejects(() => restoreBackup(svc, snap, undefined), /b001 is a snapshot of other: it restores only into other, not db/);
  assert.equal(await count(url), 2, 'untouched');
});

test('a snapshot captured under concurrent writes restores to a consistent state', async () => {
  const url = svc.url();
  await query(url, 'CREATE TABLE ledger (id bigserial PRIMARY KEY, amount int NOT NULL, pad text NOT NULL)');
  await query(url, 'CREATE INDEX ledger_amount ON ledger (amount)');
  let stop = false;
  let committed = 0;
  const writer = (async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    while (!stop) {
      await c.query("INSERT INTO ledger (amount, pad) SELECT g, repeat('x', 200) FROM generate_series(1, 200) g");
      committed += 200;
    }
    await c.end();
  })();
  while (committed < 2000) await new Promise((r) => setTimeout(r, 10));
  const before = committed;
  const b = (await t.call('POST', '/v1/pg/backups', { body: {} })) as { id: string };
  const afterCapture = committed;
  stop = true;
  await writer;
  await t.call('POST', '/v1/pg/backups/restore', { body: { backup: b.id } });
  const [row] = await query(url, 'SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, sum(amount)::bigint AS s FROM ledger');
  assert.ok(row.n >= before && row.n <= afterCapture + 200, `restored ${row.n} rows, between ${before} and ${afterCapture}`);
  assert.equal(row.n % 200, 0, 'whole transactions only');
  assert.equal(row.d, row.n, 'no duplicate keys');
  assert.equal(Number(row.s), (row.n / 200) * 20100, 'every restored transaction is complete');
  const [viaIndex] = await query(url, 'SELECT count(*)::int AS n FROM ledger WHERE amount BETWEEN 1 AND 200');
  assert.equal(viaIndex.n, row.n, 'the index agrees with the table');
  await query(url, 'DROP TABLE ledger');
});

test('a restore that cannot start puts the previous data back', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  // A snapshot file of a data directory that is not one (no pg_control): the server cannot start from it.
  const junk = mkdtempSync(join(tmpdir(), 'junk-'));
  writeFileSync(join(junk, 'PG_VERSION'), '18\n');
  execFileSync('tar', ['-czf', join(t.ctx.space.stateDir, 'backups', 'b900-db.snapshot.tar.gz'), '-C', junk, '.']);
  rmSync(junk, { recursive: true, force: true });
  await assert.rejects(() => Promise.resolve(t.call('POST', '/v1/pg/backups/restore', { body: { backup: 'b900' } })), /restoring b900 failed, the previous data is back in place/);
  assert.equal(await count(svc.url()), 2);
});

test('pg:reset needs the add-on name as confirmation, then empties the database', async () => {
  await assert.rejects(() => Promise.resolve(t.call('POST', '/v1/pg/reset', { body: {} })), /--confirm db/);
  assert.equal(await count(svc.url()), 2);
  await t.call('POST', '/v1/pg/reset', { body: { confirm: 'db' } });
  await assert.rejects(() => count(svc.url()), /relation "items" does not exist/);
});

test('an external add-on pointing at a server that answers: start succeeds and apps get its URL as is', async () => {
  const url = svc.url();
  const ext = await testSpace(`name: e\napps:\n  w:\n    processes: { web: x }\n    addons: [{ name: main, as: MAIN }]\naddons:\n  main: { type: postgres, url: "${url}" }\n`);
  try {
    const [e] = postgresServices(testContext(ext).ctx);
    await e!.start();
    assert.deepEqual(e!.envFor!(ext.config.apps.w!), { MAIN_URL: url });
    assert.match(String(e!.status().version), new RegExp(`^${PG_MAJOR}\\.`));
  } finally {
    rmSync(ext.dir, { recursive: true, force: true });
  }
});

test('stop and start again: same port, same credentials, data kept', async () => {
  const url = svc.url();
  await query(url, 'CREATE TABLE kept (v int)');
  await query(url, 'INSERT INTO kept VALUES (42)');
  await svc.stop();
  await assert.rejects(() => query(url, 'SELECT 1'));
  await svc.start();
  assert.equal(svc.url(), url);
  assert.deepEqual(await query(url, 'SELECT v FROM kept'), [{ v: 42 }]);
});

test('a server left running by a killed control plane is shut down before the new one starts', async () => {
  const { spawn } = await import('node:child_process');
  const { asUser, serverArgs, pidFileReady } = await import('./cluster.js');
  const { serverBinaries } = await import('./binaries.js');
  const { serverUser, reachableBinaries } = await import('./run-as.js');
  await svc.stop();
  const port = t.ctx.state.read().ports['addons.db']!;
  const runAs = serverUser();
  const bins = reachableBinaries(await serverBinaries(), runAs);
  const { command, args } = asUser(bins.postgres, serverArgs(svc.paths, port), runAs);
  const orphan = spawn(command, args, { detached: true, stdio: 'ignore' });
  const gone = new Promise((r) => orphan.on('exit', r));
  const end = Date.now() + 10_000;
  while (!pidFileReady(svc.paths, orphan.pid!) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.ok(pidFileReady(svc.paths, orphan.pid!), 'the leftover server runs');
  await svc.start();
  await gone;
  assert.ok(t.lines.some((l) => l.includes(`left running by an earlier control plane holds ${svc.paths.data} (pid ${orphan.pid})`)));
  assert.deepEqual(await query(svc.url(), 'SELECT v FROM kept'), [{ v: 42 }]);
});

test('a recorded port held by another program: the server moves to a fresh port, recorded and kept', async () => {
  const other = await testSpace('name: p\napps:\n  web:\n    processes: { web: "node server.js" }\n    addons: [db]\naddons:\n  db: { type: postgres }\n');
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const o = testContext(other);
  o.ctx.state.update((s) => void (s.ports['addons.db'] = port));
  const [svc2] = postgresServices(o.ctx) as EmbeddedPostgres[];
  try {
    await svc2!.start();
    const moved = o.ctx.state.read().ports['addons.db']!;
    assert.ok(moved && moved !== port, `recorded ${moved}, held ${port}`);
    const url = svc2!.envFor(other.config.apps.web!).DATABASE_URL!;
    assert.equal(new URL(url).port, String(moved));
    assert.deepEqual(await query(url, 'SELECT 1 AS one'), [{ one: 1 }]);
    assert.ok(o.lines.some((l) => l.includes(`port ${port}, recorded for addons.db, is in use by another program: the server moves to port ${moved}`)), o.lines.join('\n'));
  } finally {
    blocker.close();
    await svc2?.stop();
    o.sup.killAllNow();
    rmSync(other.dir, { recursive: true, force: true });
  }
});

test('destroyPostgresData refuses while the server runs, then removes data, credentials and port', async () => {
  const { destroyPostgresData } = await import('./destroy.js');
  const { existsSync } = await import('node:fs');
  assert.throws(() => destroyPostgresData(t.ctx.state, t.ctx.space.stateDir, 'db'), /still runs .*spaceport down first/);
  assert.ok(existsSync(svc.paths.data));
  await svc.stop();
  const r = destroyPostgresData(t.ctx.state, t.ctx.space.stateDir, 'db');
  assert.equal(r.removed, svc.paths.home);
  assert.equal(existsSync(svc.paths.home), false);
  const st = t.ctx.state.read();
  assert.equal((st.sections.postgres as Record<string, unknown>).db, undefined);
  assert.equal(st.ports['addons.db'], undefined);
});
