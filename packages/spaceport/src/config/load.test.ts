import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSpace } from './load.js';
import { formatDiagnostic } from './diagnostics.js';
import { renderJsonSchema } from './json-schema.js';

function space(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-config-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  writeFileSync(join(dir, 'spaceport.yaml'), yaml);
  // An app with processes: still needs its root (validation checks it); these tests are about other things.
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    data = null; // a test of syntax errors
  }
  const apps = (data as { apps?: Record<string, { root?: string; processes?: unknown } | null> } | null)?.apps ?? {};
  for (const [name, app] of Object.entries(apps)) if (app?.processes) mkdirSync(join(dir, app.root ?? name), { recursive: true });
  return join(dir, 'spaceport.yaml');
}

test('reports every problem at once, each with line, column, path and a did-you-mean', async (t) => {
  const file = space(
    [
      'name: demo', //                       1
      'apps:', //                             2
      '  web:', //                            3
      '    processes: { web: node s.js }', // 4
      '    scael: { web: 2 }', //             5
      '    boot_timeout: soon', //            6
      '  api:', //                            7
      '    processes: { web: node a.js }', // 8
      '    scale: { wbe: 1 }', //             9
      '    addons: [dbb]', //                 10
      'addons:', //                           11
      '  db: { type: postgres }', //          12
      'gateway:', //                          13
      '  services:', //                       14
      '    s1: { app: webb }', //             15
    ].join('\n'),
  );
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const r = await loadSpace(file);
  assert.equal(r.space, undefined);
  const byPath = new Map(r.diagnostics.map((d) => [d.path, d]));
  // schema-level problems are all reported in one pass
  assert.equal(byPath.get('apps.web.scael')?.line, 5);
  assert.equal(byPath.get('apps.web.scael')?.column, 5);
  assert.equal(byPath.get('apps.web.scael')?.hint, 'did you mean "scale"?');
  assert.equal(byPath.get('apps.web.boot_timeout')?.line, 6);
  assert.match(byPath.get('apps.web.boot_timeout')!.message, /not a duration/);
  assert.ok(r.diagnostics.length >= 2);
  assert.match(formatDiagnostic(byPath.get('apps.web.scael')!), /spaceport\.yaml:5:5: error: apps\.web\.scael: unknown key "scael"/);
  // the rules across objects run in the same pass over the objects that passed the schema (api, s1); web is
  // left out (its boot_timeout failed), but s1's reference to it is no error of its own
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.path}@${d.line}:${d.column}`),
    ['apps.web.scael@5:5', 'apps.web.boot_timeout@6:19', 'apps.api.scale@9:14', 'apps.api.addons[0]@10:14', 'gateway.services.s1.app@15:16'],
  );
  assert.equal(byPath.get('gateway.services.s1.app')?.hint, 'did you mean "web"?');

  // once the schema passes, the rules across objects are reported together too
  writeFileSync(file, readFileSync(file, 'utf8').replace('    scael: { web: 2 }\n', '').replace('boot_timeout: soon', 'boot_timeout: 10s'));
  const r2 = await loadSpace(file);
  const paths = r2.diagnostics.map((d) => `${d.path}@${d.line}:${d.column} ${d.hint ?? ''}`);
  assert.deepEqual(paths.sort(), [
    'apps.api.addons[0]@9:14 did you mean "db"?',
    'apps.api.scale@8:14 did you mean "web"?',
    'gateway.services.s1.app@14:16 did you mean "web"?',
  ]);
});

test('${VAR} reads the environment, a missing one is an error, $${ is literal', async (t) => {
  const file = space('name: demo\napps:\n  web:\n    processes: { web: "echo $${HOME}" }\n    env: { A: "${SP_TEST_A}-x", B: "${SP_TEST_MISSING}" }\n');
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const bad = await loadSpace(file, { SP_TEST_A: 'one' });
  assert.equal(bad.space, undefined);
  assert.equal(bad.diagnostics.length, 1);
  assert.equal(bad.diagnostics[0]!.path, 'apps.web.env.B');
  assert.match(bad.diagnostics[0]!.message, /SP_TEST_MISSING is not set/);
  const ok = await loadSpace(file, { SP_TEST_A: 'one', SP_TEST_MISSING: 'two' });
  assert.equal(ok.space?.config.apps.web!.env.A, 'one-x');
  assert.equal(ok.space?.config.apps.web!.env.B, 'two');
  assert.equal(ok.space?.config.apps.web!.processes.web, 'echo ${HOME}');
});

test('processes come from the Procfile when absent; scale defaults to web: 1, others 0', async (t) => {
  const file = space('name: demo\napps:\n  shop: {}\n', {
    'shop/Procfile': '# comment\nweb: node server.js\nworker: node worker.js\nrelease: node migrate.js\n',
  });
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { space: s, diagnostics } = await loadSpace(file);
  assert.deepEqual(diagnostics, []);
  const app = s!.config.apps.shop!;
  assert.equal(app.processesFrom, 'Procfile');
  assert.deepEqual(app.processes, { web: 'node server.js', worker: 'node worker.js', release: 'node migrate.js' });
  assert.deepEqual(app.scale, { web: 1, worker: 0, release: 0 });
  assert.equal(app.boot_timeout, 60_000);
  assert.equal(app.stop_timeout, 30_000);
  assert.ok(Object.isFrozen(app));
});

test('a missing Procfile and a missing root are reported with what to do', async (t) => {
  const file = space('name: demo\napps:\n  shop: {}\n  api:\n    root: ./nowhere\n', { 'shop/README': 'x' });
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { diagnostics } = await loadSpace(file);
  assert.equal(diagnostics.length, 2);
  assert.match(diagnostics.find((d) => d.path === 'apps.shop.processes')!.hint!, /Procfile/);
  assert.match(diagnostics.find((d) => d.path === 'apps.api.root')!.message, /does not exist/);
});

test('an empty Procfile or processes: {} is an error (the app was valid and ran nothing, without a word)', async (t) => {
  const file = space('name: demo\napps:\n  web: {}\n', { 'web/Procfile': '# comments only\n\n' });
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const blank = await loadSpace(file);
  assert.equal(blank.space, undefined);
  assert.deepEqual(blank.diagnostics.map((d) => [d.path, d.message]), [['apps.web.processes', 'the Procfile of web defines no process type (it is blank or only comments), so the app would run nothing']]);
  assert.match(blank.diagnostics[0]!.file, /web\/Procfile$/);
  writeFileSync(file, 'name: demo\napps:\n  web:\n    processes: {}\n');
  const empty = await loadSpace(file);
  assert.deepEqual(empty.diagnostics.map((d) => [d.line, d.path, d.message]), [[4, 'apps.web.processes', 'processes: of web is empty, so the app would run nothing']]);
});

test('a missing root is reported with processes: given too (up failed later with "ENOENT ... scandir")', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'spaceport.yaml'), 'name: demo\napps:\n  web:\n    processes: { web: node server.js }\n');
  const { diagnostics, space: loaded } = await loadSpace(join(dir, 'spaceport.yaml'));
  assert.equal(loaded, undefined);
  assert.deepEqual(diagnostics.map((d) => [d.path, d.message, d.hint]), [
    ['apps.web', "the app's directory web does not exist", "set root: to the app's directory (default ./web; root: . when its files are beside spaceport.yaml)"],
  ]);
});

test('a route to an internal app is an error unless the service exposes it', async (t) => {
  const yaml = (expose: boolean) =>
    `name: demo\napps:\n  relay:\n    internal: true\n    processes: { web: node r.js }\ngateway:\n  services:\n    relay:\n      app: relay\n${expose ? '      expose_internal: true\n' : ''}      routes:\n        events: { paths: [/api/events] }\n`;
  const file = space(yaml(false));
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const bad = await loadSpace(file);
  assert.equal(bad.diagnostics.length, 1);
  assert.match(bad.diagnostics[0]!.message, /internal: no public route may reach it/);
  writeFileSync(file, yaml(true));
  assert.deepEqual((await loadSpace(file)).diagnostics, []);
});

test('a route host written as a URL or with a path is an error saying what to write (it was accepted and never matched)', async (t) => {
  const yaml = (hosts: string) => `name: demo\napps:\n  api:\n    processes: { web: node a.js }\ngateway:\n  services:\n    api:\n      app: api\n      routes:\n        r: { hosts: [${hosts}] }\n`;
  const file = space(yaml('"http://api.test", "api.test/v1"'));
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const bad = await loadSpace(file);
  assert.deepEqual(bad.diagnostics.map((d) => [d.path, d.message]), [
    ['gateway.services.api.routes.r.hosts[0]', '"http://api.test" is a URL: write the host name alone, like api.test'],
    ['gateway.services.api.routes.r.hosts[1]', '"api.test/v1" has a path: write the host name alone, like api.test (the path goes in paths:)'],
  ]);
  writeFileSync(file, yaml('api.test, "*.api.test", "api.*", "api.test:8000", "[::1]"'));
  assert.deepEqual((await loadSpace(file)).diagnostics, []);
});

test('a moved: entry from an address the file still declares is an error (Terraform: moved object still exists)', async (t) => {
  const yaml = (moved: string) =>
    `name: demo\napps:\n  ticker:\n    processes: { web: node w.js }\n  greeter:\n    processes: { web: node w.js }\n` +
    `addons:\n  ev:\n    type: kafka\n    topics: { orders: {} }\ngateway:\n  services:\n    api:\n      app: greeter\n      routes:\n        old: { paths: [/a] }\n` +
    `moved:\n${moved}`;
  const file = space(yaml('  - { from: apps.ticker, to: apps.ghost }\n'));
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const bad = await loadSpace(file);
  assert.equal(bad.diagnostics.length, 1);
  const d = bad.diagnostics[0]!;
  assert.equal(d.path, 'moved[0].from');
  assert.equal(d.line, 18);
  assert.match(d.message, /apps\.ticker is still declared in this file/);
  assert.match(d.hint!, /rename it to apps\.ghost in the file, or remove this moved: entry/);
  for (const from of ['addons.ev.topics.orders', 'gateway.services.api.routes.old', 'gateway.services.api']) {
    writeFileSync(file, yaml(`  - { from: ${from}, to: ${from}2 }\n`));
    assert.match((await loadSpace(file)).diagnostics[0]?.message ?? 'none', /is still declared in this file/, from);
  }
  // A move already applied (the old name gone from the file) and one from an address never declared are fine.
  writeFileSync(file, yaml('  - { from: apps.clock, to: apps.ticker }\n  - { from: addons.ev.topics.old, to: addons.ev.topics.orders }\n'));
  assert.deepEqual((await loadSpace(file)).diagnostics, []);
});

test('an unknown plugin name gets a did-you-mean from the plugin folders', async (t) => {
  const file = space('name: demo\ngateway:\n  plugins:\n    corz: {}\n');
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { diagnostics } = await loadSpace(file);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.line, 4);
  assert.match(diagnostics[0]!.message, /unknown plugin "corz"/);
});

test('YAML syntax errors are located', async (t) => {
  const file = space('name: demo\napps:\n  web: {processes: [\n');
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { diagnostics, space: s } = await loadSpace(file);
  assert.equal(s, undefined);
  assert.ok(diagnostics.length >= 1);
  assert.ok(diagnostics[0]!.line >= 3);
});

test('the shipped JSON Schema is generated from the current schema', () => {
  const shipped = readFileSync(new URL('../../schema/spaceport.schema.json', import.meta.url), 'utf8');
  assert.equal(shipped, renderJsonSchema(), 'run: npx tsx packages/spaceport/scripts/gen-schema.ts');
});
