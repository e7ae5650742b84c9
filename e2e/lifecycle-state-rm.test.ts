/** `state list|show --json` and `state rm`, as terraform state: rm forgets without destroying, keeps a backup, and the next plan imports what still runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { planJson, WEB } from './lifecycle-support.js';

const YAML = `name: rm
apps:
  web:
    processes: { web: node web.mjs }
    env: { GREETING: hello, SESSION_SECRET: s3cret-value-2 }
`;

test('state list/show --json; state rm forgets records (backup kept), the next plan imports them, apply records them', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const sp = join(space.dir, '.spaceport');
  const state = () => JSON.parse(readFileSync(join(sp, 'state.json'), 'utf8')) as { resources: Record<string, { id: string }> };

  const list = JSON.parse((await space.cli(['state', 'list', '--json', 'apps.web'])).stdout) as { resources: { address: string; kind: string; id: string }[] };
  assert.deepEqual(list.resources.map((r) => `${r.kind} ${r.address}`), ['app apps.web', 'config apps.web.config', 'formation apps.web.formation.web']);
  assert.equal(list.resources[0]!.id, state().resources['apps.web']!.id);
  const show = await space.cli(['state', 'show', '--json', 'apps.web.config']);
  assert.equal(show.code, 0, show.stderr);
  assert.deepEqual(JSON.parse(show.stdout), { address: 'apps.web.config', kind: 'config', id: state().resources['apps.web.config']!.id, attributes: { vars: { GREETING: 'hello', SESSION_SECRET: '(sensitive)' } } });
  assert.equal((await space.cli(['state', 'show', '--json', 'apps.wbe'])).code, 1);

  // A typo removes nothing; --dry-run says what would go.
  const typo = await space.cli(['state', 'rm', 'apps.wbe']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /no resource at or under apps\.wbe in state; did you mean apps\.web\?; nothing was removed/);
  assert.equal((await space.cli(['state', 'rm', '--dry-run', 'apps.web'])).stdout, 'Would remove apps.web\nWould remove apps.web.config\nWould remove apps.web.formation.web\n');
  assert.equal(Object.keys(state().resources).length, 3);

  const ids = state().resources;
  const rm = await space.cli(['state', 'rm', 'apps.web']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.match(rm.stdout, /^Removed apps\.web\nRemoved apps\.web\.config\nRemoved apps\.web\.formation\.web\nSuccessfully removed 3 resources from state; nothing running was changed\. Backup of the previous state: \S+state\.json\.\d+\.backup\n$/);
  assert.deepEqual(state().resources, {});
  const backup = readdirSync(sp).find((f) => /^state\.json\.\d+\.backup$/.test(f))!;
  assert.equal(statSync(join(sp, backup)).mode & 0o777, 0o600);
  assert.deepEqual((JSON.parse(readFileSync(join(sp, backup), 'utf8')) as { resources: unknown }).resources, ids);
  // Nothing stopped: the app still answers.
  assert.equal((await space.cli(['ps'])).stdout.includes('web.1'), true);

  // The next plan finds it running as the file says: an import, counted as a change.
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /# apps\.web will be imported: it runs as spaceport\.yaml says, and state has no record of it\n/);
  assert.match(text.stdout, /Plan: 3 to import, 0 to add, 0 to change, 0 to destroy, 0 to move\.\n$/);
  const pj = await planJson(space);
  assert.equal(pj.code, 2);
  assert.deepEqual((pj.plan as { imports?: string[] }).imports, ['apps.web', 'apps.web.config', 'apps.web.formation.web']);

  // `spaceport import` records one by itself (terraform import); twice is refused, as are unknown addresses.
  const imp = await space.cli(['import', 'apps.web.config']);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /^apps\.web\.config: Import complete \(config, id [0-9a-f-]{36}\)\n\nImport successful! 1 resource is now in state/);
  assert.equal(state().resources['apps.web.config']!.id, /id ([0-9a-f-]{36})/.exec(imp.stdout)![1]);
  const again = await space.cli(['import', 'apps.web.config']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /apps\.web\.config is already in state: there is nothing to import/);
  assert.match((await space.cli(['import', 'apps.nope'])).stderr, /no resource at or under apps\.nope runs that spaceport\.yaml declares/);

  const apply = await space.cli(['apply', '--auto-approve']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /Imported into state: apps\.web, apps\.web\.formation\.web/);
  assert.deepEqual(Object.keys(state().resources).sort(), ['apps.web', 'apps.web.config', 'apps.web.formation.web']);
  assert.equal((await planJson(space)).code, 0);
});
