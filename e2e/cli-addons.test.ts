/** `spaceport addons`: each add-on with its type, plan, state and the apps attaching it under which variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, FIXTURES, until } from './runtime-support.js';

test('addons lists the file\'s add-ons with their attachments: down before up, up with the URL while running', async (t) => {
  const yaml = `name: ad\naddons:\n  ev: { type: kafka, port: 0 }\napps:\n  a:\n    processes: { web: node web.mjs }\n    addons: [ev, { name: ev, as: EVENTS }]\n  b:\n    processes: { web: node web.mjs }\n`;
  const space = makeSpace(t, yaml, { a: { 'web.mjs': FIXTURES['web.mjs']! }, b: { 'web.mjs': FIXTURES['web.mjs']! } });
  const before = await space.cli(['addons', '--json']);
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual(JSON.parse(before.stdout), [
    { name: 'ev', type: 'kafka', plan: 'embedded', state: 'down', attachments: [{ app: 'a', as: 'KAFKA_URL' }, { app: 'a', as: 'EVENTS_URL' }] },
  ]);
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  // the state directory (secrets in state.json) keeps itself out of git
  assert.match(readFileSync(join(space.dir, '.spaceport', '.gitignore'), 'utf8'), /^\*$/m);
  const table = await space.cli(['addons']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ADD-ON +TYPE +PLAN +STATE +ATTACHED AS +URL\nev +kafka +embedded +up +a \(KAFKA_URL\), a \(EVENTS_URL\) +kafka:\/\/127\.0\.0\.1:\d+\n$/);
});

test('addons shows a SIGKILLed Kafka broker as crashed or restarting, not up, until it listens again', async (t) => {
  const space = makeSpace(t, `name: kc\naddons:\n  ev: { type: kafka, port: 0 }\napps:\n  a:\n    processes: { web: node web.mjs }\n    addons: [ev]\n`, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const state = async (): Promise<string> => (JSON.parse((await space.cli(['addons', '--json'])).stdout) as { state: string }[])[0]!.state;
  assert.equal(await state(), 'up');
  // A file where its data directory was: the restarted broker exits at once, so it stays down while the test looks.
  const data = join(space.dir, '.spaceport', 'events', 'ev');
  renameSync(data, `${data}.away`);
  writeFileSync(data, 'not a directory');
  const seen = new Set<string>();
  try {
    process.kill(space.state().processes['addons.ev:broker']!.pid, 'SIGKILL');
    await until(async () => (seen.add(await state()), seen.has('crashed') || seen.has('restarting')), 10_000, 'addons to show the broker down');
  } finally {
    rmSync(data, { force: true });
    renameSync(`${data}.away`, data);
  }
  await until(async () => (await state()) === 'up', 40_000, 'addons to show it up again once it listens');
  const topics = await space.cli(['topics', '--json']);
  assert.equal(topics.code, 0, topics.stderr);
});

test('pg:backups (the space down) prints an aligned table', async (t) => {
  const space = makeSpace(t, `name: bk\naddons:\n  maindb: { type: postgres }\napps:\n  a:\n    processes: { web: node web.mjs }\n    addons: [maindb]\n`, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  const dir = join(space.dir, '.spaceport', 'backups');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'b001-maindb.dump'), 'x'.repeat(1200));
  writeFileSync(join(dir, 'b012-maindb.snapshot.tar.gz'), 'x');
  const r = await space.cli(['pg:backups']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], '=== Backups');
  const cols = (l: string) => [...l.matchAll(/\S+(?: \S+)?/g)].map((m) => m.index); // where each column starts
  assert.match(lines[1]!, /^ID +CREATED AT +ADD-ON +KIND +SIZE$/);
  assert.deepEqual(cols(lines[2]!), cols(lines[1]!));
  assert.deepEqual(cols(lines[3]!), cols(lines[1]!));
  assert.match(lines[3]!, /^b012 +\S+Z +maindb +snapshot +1 B$/);
});
