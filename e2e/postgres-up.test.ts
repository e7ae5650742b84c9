import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { NOTES_APP, makePgSpace, until, type PgSpace } from './postgres-support.js';
import { serverBinaries } from '../packages/spaceport/src/addons/postgres/binaries.js';

/** The major version of the embedded server binaries installed. */
const PG_MAJOR = (await serverBinaries()).major;

// One space (one real server) for the scenario tests of this file, in order.
const YAML = `name: pgup
apps:
  notes:
    root: ./notes
    processes: { web: node web.mjs }
    addons: [db, { name: db, as: ANALYTICS }]
addons:
  db: { type: postgres }
`;
let space: PgSpace;
before(() => {
  space = makePgSpace(YAML, { 'notes/web.mjs': NOTES_APP });
});
after(() => space?.cleanup());

const webPort = async (): Promise<number> => {
  const r = await space.cli(['ps', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { dyno: string; port: number }[]).find((d) => d.dyno === 'web.1')!.port;
};
const notes = async (port: number, post?: string): Promise<string[]> => {
  const res = await fetch(`http://127.0.0.1:${port}/notes${post ? `?body=${post}` : ''}`, { method: post ? 'POST' : 'GET' });
  const body = (await res.json()) as { notes?: string[]; error?: string };
  if (!res.ok) throw new Error(body.error);
  return body.notes!;
};
const password = () => (space.state().sections.postgres as Record<string, { password: string }>).db!.password;
const serverPid = () => space.state().processes['addons.db:postgres']!.pid;

test('up: the app boots after its database, writes through DATABASE_URL and reads through ANALYTICS_URL', async () => {
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  const port = await webPort();
  const res = (await (await fetch(`http://127.0.0.1:${port}/notes`)).json()) as { vars: string[] };
  assert.deepEqual(res.vars, ['ANALYTICS_URL', 'DATABASE_URL']);
  assert.deepEqual(await notes(port, 'one'), ['one']);
  assert.deepEqual(await notes(port, 'two'), ['one', 'two']);
  assert.equal(statSync(`${space.dir}/.spaceport/state.json`).mode & 0o777, 0o600);
  const log = readFileSync(`${space.dir}/.spaceport/logs/space.log`, 'utf8');
  assert.ok(!log.includes(password()), 'the password is in no log line');
  assert.match(log, new RegExp(`PostgreSQL ${PG_MAJOR}\\.\\d+ ready on 127\\.0\\.0\\.1:\\d+`));
});

test('as root, the server runs as the postgres system user and owns its data directory', { skip: process.getuid?.() !== 0 && 'not root' }, () => {
  const status = readFileSync(`/proc/${serverPid()}/status`, 'utf8');
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
  assert.notEqual(uid, 0);
  assert.equal(execFileSync('id', ['-un', String(uid)], { encoding: 'utf8' }).trim(), 'postgres');
  assert.equal(statSync(`${space.dir}/.spaceport/postgres/db/data`).uid, uid);
});

test('pg:info prints version, connections, size and the URL with the password masked', async () => {
  const r = await space.cli(['pg:info']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^=== db$/m);
  assert.match(r.stdout, new RegExp(`^PG Version:\\s+${PG_MAJOR}\\.\\d+$`, 'm'));
  assert.match(r.stdout, /^Connections:\s+\d+\/100$/m);
  assert.match(r.stdout, /^Data Size:\s+[\d.]+ MB$/m);
  assert.match(r.stdout, /^URL:\s+postgres:\/\/u[0-9a-f]{12}:\*\*\*\*\*@127\.0\.0\.1:\d+\/d[0-9a-f]{12}$/m);
  assert.ok(!r.stdout.includes(password()));
  const j = JSON.parse((await space.cli(['pg:info', 'db', '--json'])).stdout) as { tables: number; connections: number; database: string };
  assert.equal(j.tables, 1);
  assert.ok(j.connections >= 1, 'the app holds connections');
  const cred = await space.cli(['pg:credentials:url', 'db']);
  assert.equal(cred.stdout.trim(), `postgres://${(space.state().sections.postgres as Record<string, { user: string }>).db!.user}:${password()}@127.0.0.1:${space.state().ports['addons.db']}/${j.database}`);
  const wrong = await space.cli(['pg:info', 'nope']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /no postgres add-on named "nope" \(postgres add-ons: db\)/);
});

test('pg:psql runs a command with the system psql (skipped when none is installed)', async (t) => {
  try {
    execFileSync('psql', ['--version']);
  } catch {
    t.skip('no psql installed');
    return;
  }
  const r = await space.cli(['pg:psql', '-c', 'SELECT count(*) AS n FROM notes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\s+2$/m);
});

test('SIGKILL of the server: the supervisor restarts it and the app reconnects to the same data', async () => {
  const port = await webPort();
  const pid = serverPid();
  process.kill(pid, 'SIGKILL');
  const after = await until(async () => (serverPid() !== pid ? notes(port) : undefined), 20_000, 'the app to read again');
  assert.deepEqual(after, ['one', 'two']);
  assert.notEqual(serverPid(), pid);
});

test('addons shows a SIGKILLed server as crashed or restarting, not up, until it answers again', async () => {
  const state = async (): Promise<string> => {
    const r = await space.cli(['addons', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { name: string; state: string }[]).find((a) => a.name === 'db')!.state;
  };
  assert.equal(await state(), 'up');
  // Without its config file the restarted server exits at once: it stays down (crashed, restarted with back-off)
  // for as long as the test needs to look, instead of racing a recovery of ~100 ms.
  const conf = join(space.dir, '.spaceport', 'postgres', 'db', 'data', 'postgresql.conf');
  renameSync(conf, `${conf}.away`);
  const seen = new Set<string>();
  try {
    process.kill(serverPid(), 'SIGKILL');
    await until(async () => (seen.add(await state()), seen.has('crashed') || seen.has('restarting') ? true : undefined), 10_000, 'addons to show the server down');
  } finally {
    renameSync(`${conf}.away`, conf);
  }
  await until(async () => ((await state()) === 'up' ? true : undefined), 40_000, 'addons to show it up again once it answers');
  assert.deepEqual(await notes(await webPort()), ['one', 'two']);
});

test('backup then restore brings back the captured rows', async () => {
  const port = await webPort();
  const cap = await space.cli(['pg:backups:capture'], 120_000);
  assert.equal(cap.code, 0, cap.stderr);
  assert.match(cap.stdout, /^Backup b001 of db captured/m);
  await notes(port, 'three');
  const list = await space.cli(['pg:backups']);
  assert.match(list.stdout, /^b001\s+\S+\s+db\s+(dump|snapshot)\s/m);
  const refused = await space.cli(['pg:backups:restore', 'b001']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /To proceed, pass --confirm db/);
  assert.deepEqual(await notes(port), ['one', 'two', 'three'], 'nothing changed without confirmation');
  const res = await space.cli(['pg:backups:restore', 'b001', '--confirm', 'db'], 120_000);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(await until(() => notes(port), 20_000, 'reads after the restore'), ['one', 'two']);
});

test('a killed control plane: the next up starts the database again with its data', async () => {
  const cp = space.state().controlPlane!.pid;
  process.kill(cp, 'SIGKILL');
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(await until(async () => notes(await webPort()), 20_000, 'reads after the new up'), ['one', 'two']);
});

test('data survives down and up; the database keeps its port', async () => {
  const dbPort = space.state().ports['addons.db'];
  const down = await space.cli(['down'], 60_000);
  assert.equal(down.code, 0, down.stderr);
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(dbPort, '127.0.0.1', () => r()));
  probe.close();
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(space.state().ports['addons.db'], dbPort);
  assert.deepEqual(await notes(await webPort()), ['one', 'two']);
});

test('pg:reset needs --confirm with the add-on name, then empties the database', async () => {
  const no = await space.cli(['pg:reset']);
  assert.equal(no.code, 1);
  assert.match(no.stderr, /This deletes all data of db\. To proceed, pass --confirm db/);
  const mismatch = await space.cli(['pg:reset', '--confirm', 'other']);
  assert.match(mismatch.stderr, /--confirm other does not match the add-on "db"/);
  const yes = await space.cli(['pg:reset', '--confirm', 'db']);
  assert.equal(yes.code, 0, yes.stderr);
  assert.deepEqual(await until(async () => notes(await webPort()), 20_000, 'reads after the reset'), []);
});
