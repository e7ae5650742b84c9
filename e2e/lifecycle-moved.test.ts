/**
 * Renames with a real Postgres: renaming an app that has a database attached, without `moved:`, is refused
 * (data would be lost) with the moved: entry to add; with `moved:` the plan shows moves only and the app
 * keeps its database, rows, releases and resource ids under its new name; a database renamed with `moved:`
 * in the running space keeps its rows.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePgSpace, NOTES_APP, type PgSpace } from './postgres-support.js';

const YAML = `name: mv
apps:
  notes:
    root: ./app
    processes: { web: node web.mjs }
    addons: [db]
addons:
  db: { type: postgres }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

let space: PgSpace;
after(() => space?.cleanup());

const webPort = async (app: string): Promise<number> => {
  const r = await space.cli(['ps', '--json']);
  const d = (JSON.parse(r.stdout) as { app: string; dyno: string; port: number; state: string }[]).find((x) => x.app === app && x.dyno === 'web.1' && x.state === 'up');
  if (!d) throw new Error(`no web.1 of ${app} up: ${r.stdout}`);
  return d.port;
};
const notes = async (port: number, post?: string): Promise<string[]> => {
  const res = await fetch(`http://127.0.0.1:${port}/notes${post ? `?body=${post}` : ''}`, { method: post ? 'POST' : 'GET' });
  return ((await res.json()) as { notes: string[] }).notes;
};

test('a renamed app keeps its database with moved:, and is refused without it', async () => {
  space = makePgSpace(YAML, { 'app/web.mjs': NOTES_APP });
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(await notes(await webPort('notes'), 'kept'), ['kept']);
  const plan0 = await space.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan0.code, 0, plan0.stdout + plan0.stderr);
  const ids = (space.state() as unknown as { resources: Record<string, { id: string }> }).resources;

  // Renamed without moved: refused, with the fix in the message; nothing changes.
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, YAML.replace('  notes:', '  journal:'));
  const refused = await space.cli(['plan']);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /Error: apps\.notes would be destroyed: it has the database db attached.*; if it was renamed to apps\.journal, add moved: \[\{ from: apps\.notes, to: apps\.journal \}\] \(run with --allow-destroy to accept the loss\)/);
  const apply1 = await space.cli(['apply', '--auto-approve']);
  assert.equal(apply1.code, 1);
  assert.equal(await webPort('notes') > 0, true);

  // With moved: moves only, and the data is still there under the new name.
  writeFileSync(file, readFileSync(file, 'utf8') + 'moved:\n  - { from: apps.notes, to: apps.journal }\n');
  const plan = await space.cli(['plan']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /# apps\.notes has moved to apps\.journal\n -> apps\.journal\n/);
  assert.match(plan.stdout, /Plan: 0 to add, 0 to change, 0 to destroy, 3 to move\./);
  const applied = await space.cli(['apply', '--auto-approve'], 60_000);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.deepEqual(await notes(await webPort('journal')), ['kept']);
  const ps = JSON.parse((await space.cli(['ps', '--json'])).stdout) as { app: string }[];
  assert.deepEqual([...new Set(ps.map((d) => d.app))], ['journal']);
  const rels = JSON.parse((await space.cli(['releases', '-a', 'journal', '--json'])).stdout) as { version: string }[];
  assert.equal(rels.at(-1)!.version, 'v1', 'the releases moved with the app');
  const moved = (space.state() as unknown as { resources: Record<string, { id: string }> }).resources;
  assert.equal(moved['apps.journal']!.id, ids['apps.notes']!.id);
  assert.equal(moved['apps.journal.formation.web']!.id, ids['apps.notes.formation.web']!.id);
  const after = await space.cli(['plan', '--detailed-exitcode']);
  assert.equal(after.code, 0, after.stdout);

  // An add-on renamed with moved: renamed live by apply (server stopped, data renamed, started again).
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('addons: [db]', 'addons: [maindb]').replace('  db: { type: postgres }', '  maindb: { type: postgres }') + '  - { from: addons.db, to: addons.maindb }\n',
  );
  const renamePlan = await space.cli(['plan']);
  assert.match(renamePlan.stdout, /# addons\.db has moved to addons\.maindb\n -> addons\.maindb\n/);
  const renamed = await space.cli(['apply', '--auto-approve'], 60_000);
  assert.equal(renamed.code, 0, renamed.stdout + renamed.stderr);
  assert.match(renamed.stdout, /addons\.maindb: Move complete/);
  assert.deepEqual(await notes(await webPort('journal')), ['kept'], 'the renamed database has the rows');
  const settled = await space.cli(['plan', '--detailed-exitcode']);
  assert.equal(settled.code, 0, settled.stdout);
});
