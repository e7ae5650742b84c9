/**
 * Workspace packages (local packages linked into node_modules, as npm workspaces do): a change in one is a change
 * of every app whose package.json depends on it in `plan`, and `apply` releases those apps (and no other), which
 * then run the new code; a rollback runs the package as it was built. Builds of apps that share one wait for the
 * first of them (each may build the package); once it succeeded, the others run side by side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { gatewayOf, getByHost, planJson } from './lifecycle-support.js';

const WEB = `import { createServer } from 'node:http';
import { greeting } from '@demo/greeting';
createServer((req, res) => res.end(greeting)).listen(Number(process.env.PORT), '127.0.0.1');`;
const OWN = `import { createServer } from 'node:http';
createServer((req, res) => res.end('own')).listen(Number(process.env.PORT), '127.0.0.1');`;

// a's, b's and d's builds log their start and end: they share @demo/greeting, so the first runs alone and the
// other two, once it succeeded, side by side.
const BUILD = 'echo "$APP_NAME start" >> ../builds.log && sleep 1 && echo "$APP_NAME end" >> ../builds.log';
const YAML = `name: workspace
apps:
  a:
    build: ${BUILD}
    processes: { web: node web.mjs }
  b:
    build: ${BUILD}
    processes: { web: node web.mjs }
  c:
    processes: { web: node web.mjs }
  d:
    build: ${BUILD}
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

const manifest = (name: string, deps: Record<string, string> = {}) => JSON.stringify({ name, version: '1.0.0', type: 'module', dependencies: deps });

test('a change in a workspace package shows in plan and makes a new release of the apps that depend on it', async (t) => {
  const space = makeSpace(t, YAML, {
    a: { 'web.mjs': WEB, 'package.json': manifest('a', { '@demo/greeting': '*' }) },
    b: { 'web.mjs': WEB, 'package.json': manifest('b', { '@demo/greeting': '*' }) },
    c: { 'web.mjs': OWN, 'package.json': manifest('c') },
    d: { 'web.mjs': WEB, 'package.json': manifest('d', { '@demo/greeting': '*' }) },
  });
  // The space's directory is the workspace: packages/greeting, linked into node_modules as `npm install` links it.
  writeFileSync(join(space.dir, 'package.json'), JSON.stringify({ name: 'ws', private: true, workspaces: ['packages/*', 'a', 'b', 'c', 'd'] }));
  const pkg = join(space.dir, 'packages', 'greeting');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@demo/greeting', version: '1.0.0', type: 'module', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "export const greeting = 'hello';\n");
  mkdirSync(join(space.dir, 'node_modules', '@demo'), { recursive: true });
  symlinkSync(join('..', '..', 'packages', 'greeting'), join(space.dir, 'node_modules', '@demo', 'greeting'));

  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const gw = await gatewayOf(space);
  const greet = async (app: string) => (await getByHost(gw.listen, `${app}.localhost`)).body;
  assert.deepEqual([await greet('a'), await greet('b'), await greet('c'), await greet('d')], ['hello', 'hello', 'own', 'hello']);
  const builds = readFileSync(join(space.dir, 'builds.log'), 'utf8').trim().split('\n');
  assert.deepEqual(builds.map((l) => l.split(' ')[1]), ['start', 'end', 'start', 'start', 'end', 'end'], `the first build sharing the package runs alone, then the other two together: ${builds.join(', ')}`);
  for (const waiter of [builds[2]!.split(' ')[0]!, builds[3]!.split(' ')[0]!]) {
    const logs = await space.cli(['logs', '-n', '1000', '-a', waiter]);
    assert.match(logs.stdout, /\[\w+\.build\]: Build waits: @demo\/greeting is being built by another app's build; the apps that use it build side by side once it is\n/);
  }
  assert.equal((await planJson(space)).code, 0, 'nothing to do after up');

  writeFileSync(join(pkg, 'index.js'), "export const greeting = 'bonjour';\n");
  const plan = await planJson(space);
  assert.equal(plan.code, 2, 'changes');
  assert.deepEqual(plan.plan.changes.map((c) => [c.address, c.action]), [['apps.a', 'update'], ['apps.b', 'update'], ['apps.d', 'update']]);
  // Which package changed: its own hash, by the name the app requires it by.
  const a = plan.plan.changes[0] as unknown as { before: { packages: Record<string, string> }; after: { packages: Record<string, string> } };
  assert.deepEqual(Object.keys(a.after.packages), ['@demo/greeting']);
  assert.notEqual(a.after.packages['@demo/greeting'], a.before.packages['@demo/greeting']);
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /~ apps\.a\n\s+~ packages\.@demo\/greeting: "[0-9a-f]{16}" → "[0-9a-f]{16}"\n\s+~ source: "[0-9a-f]{16}" → "[0-9a-f]{16}"\n/, text.stdout);

  const applied = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.deepEqual([await greet('a'), await greet('b'), await greet('c')], ['bonjour', 'bonjour', 'own']);
  const rels = JSON.parse((await space.cli(['releases', '-a', 'a', '--json'])).stdout) as { version: number; description: string }[];
  assert.equal(rels.length, 2);
  assert.match(rels[0]!.description, /^Deploy [0-9a-f]{16}$/);
  assert.equal(JSON.parse((await space.cli(['releases', '-a', 'c', '--json'])).stdout).length, 1, 'c does not depend on the package');
  assert.equal((await planJson(space)).code, 0, 'the releases record the hashes plan computes');

  // A rollback runs the earlier kept build with the package as it was then (the kept build holds a copy of it).
  const rb = await space.cli(['rollback', '-a', 'a']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(await greet('a'), 'hello');
  assert.equal(await greet('b'), 'bonjour');
});
