/**
 * plan/apply --replace, as terraform -replace: an app is rebuilt and released anew (its data kept); an embedded
 * Postgres add-on is re-created empty with new credentials, refused without --allow-destroy, and its app is
 * released with the new DATABASE_URL.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { makePgSpace, NOTES_APP, type PgSpace } from './postgres-support.js';

const YAML = `name: rp
apps:
  web:
    root: ./app
    processes: { web: node web.mjs }
    addons: [db]
addons:
  db: { type: postgres }
`;

let space: PgSpace;
after(() => space?.cleanup());

async function web(method = 'GET', body?: string): Promise<{ notes: string[]; pid: number }> {
  const r = await space.cli(['ps', '--json']);
  const d = (JSON.parse(r.stdout) as { app: string; dyno: string; port: number; pid: number; state: string }[]).find((x) => x.dyno === 'web.1' && x.state === 'up');
  if (!d) throw new Error(`no web.1 up: ${r.stdout}`);
  const res = await fetch(`http://127.0.0.1:${d.port}/notes${body ? `?body=${body}` : ''}`, { method });
  return { ...((await res.json()) as { notes: string[] }), pid: d.pid };
}
const releases = async () => JSON.parse((await space.cli(['releases', '-a', 'web', '--json'])).stdout) as { version: number; description: string }[];
const dbUrlVersion = () => (space.state().sections.postgres as Record<string, { password?: string }> | undefined)?.db?.password;

test('--replace re-creates an app (a new release, data kept) and an embedded database (emptied, with consent)', async () => {
  space = makePgSpace(YAML, { 'app/web.mjs': NOTES_APP });
  const up = await space.cli(['up', '-d'], 120_000);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual((await web('POST', 'kept')).notes, ['kept']);

  // Errors first: a typo, and a kind that cannot be replaced.
  const typo = await space.cli(['plan', '--replace', 'apps.wbe']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /--replace apps\.wbe: no resource apps\.wbe .*did you mean apps\.web\?/);
  assert.match((await space.cli(['plan', '--replace', 'apps.web.formation.web'])).stderr, /a formation cannot be replaced/);

  // The app: rebuilt, a new release whose dynos replace the old ones; the database keeps its rows.
  const plan = await space.cli(['plan', '--replace', 'apps.web', '--out', 'replace.plan']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /# apps\.web must be replaced \(as requested with --replace\)\n-\/\+ apps\.web\n/);
  assert.match(plan.stdout, /Plan: 1 to add, 0 to change, 1 to destroy, 0 to move\.\n$/);
  const before = await web();
  // Saved with its --replace: apply PLANFILE replans with it (and refuses another --replace beside it).
  assert.equal((await space.cli(['apply', 'replace.plan', '--replace', 'addons.db'])).code, 2);
  const app = await space.cli(['apply', 'replace.plan'], 120_000);
  assert.equal(app.code, 0, app.stdout + app.stderr);
  assert.match(app.stdout, /apps\.web: Replacement complete/);
  assert.equal((await releases())[0]!.description, 'Replace (apply --replace)');
  const afterApp = await web();
  assert.notEqual(afterApp.pid, before.pid, 'a new dyno');
  assert.deepEqual(afterApp.notes, ['kept']);

  // The database: its data goes, so the plan says so and needs --allow-destroy.
  const refused = await space.cli(['apply', '--auto-approve', '--replace', 'addons.db'], 60_000);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /Error: addons\.db would be replaced: its database is deleted with every row: a new, empty one starts with new credentials.*\(run with --allow-destroy to accept the loss\)/);
  const password = dbUrlVersion();
  const db = await space.cli(['apply', '--auto-approve', '--allow-destroy', '--replace', 'addons.db'], 120_000);
  assert.equal(db.code, 0, db.stdout + db.stderr);
  assert.match(db.stdout, /addons\.db: Replacement complete/);
  assert.notEqual(dbUrlVersion(), password, 'new credentials');
  assert.match((await releases())[0]!.description, /^Replace db \(DATABASE_URL\)$/);
  assert.deepEqual((await web()).notes, [], 'an empty database');
  assert.equal((await space.cli(['plan', '--detailed-exitcode'])).code, 0, 'nothing left to do');
});
