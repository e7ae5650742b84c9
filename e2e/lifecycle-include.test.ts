/**
 * Code shared between apps (`apps.<name>.include`): a change in the shared folder is a change of every app that
 * includes it in `plan`, and `apply` builds and releases those apps (and no other); a rollback runs the kept build,
 * which holds what the build took from the shared folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { gatewayOf, getByHost, planJson } from './lifecycle-support.js';

// The build takes the shared greeting into dist/ (outputs are not part of the source hash): dynos run from root alone.
const WEB = `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const greeting = (() => { try { return readFileSync('dist/greeting.txt', 'utf8').trim(); } catch { return 'none'; } })();
createServer((req, res) => res.end(greeting)).listen(Number(process.env.PORT), '127.0.0.1');`;

const YAML = `name: shared
apps:
  a:
    include: [../shared]
    build: mkdir -p dist && cp ../shared/greeting.txt dist/
    processes: { web: node web.mjs }
  b:
    include: [../shared]
    build: mkdir -p dist && cp ../shared/greeting.txt dist/
    processes: { web: node web.mjs }
  c:
    build: mkdir -p dist && echo own > dist/greeting.txt
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

test('a change in an included folder shows in plan and makes a new release of the apps that include it', async (t) => {
  const space = makeSpace(t, YAML, { a: { 'web.mjs': WEB }, b: { 'web.mjs': WEB }, c: { 'web.mjs': WEB }, shared: { 'greeting.txt': 'hello' } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const gw = await gatewayOf(space);
  const greet = async (app: string) => (await getByHost(gw.listen, `${app}.localhost`)).body;
  assert.deepEqual([await greet('a'), await greet('b'), await greet('c')], ['hello', 'hello', 'own']);
  const clean = await planJson(space);
  assert.equal(clean.code, 0, JSON.stringify(clean.plan));

  writeFileSync(join(space.dir, 'shared', 'greeting.txt'), 'bonjour');
  const plan = await planJson(space);
  assert.equal(plan.code, 2, 'changes');
  assert.deepEqual(plan.plan.changes.map((c) => [c.address, c.action]), [['apps.a', 'update'], ['apps.b', 'update']]);
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /~ apps\.a\n\s+~ source: "[0-9a-f]{16}" → "[0-9a-f]{16}"\n[\s\S]*~ apps\.b\n\s+~ source: "[0-9a-f]{16}" → "[0-9a-f]{16}"\n/);
  assert.match(text.stdout, /Plan: 0 to add, 2 to change, 0 to destroy, 0 to move\./);

  const applied = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.deepEqual([await greet('a'), await greet('b'), await greet('c')], ['bonjour', 'bonjour', 'own']);
  const rels = JSON.parse((await space.cli(['releases', '-a', 'a', '--json'])).stdout) as { version: number; description: string; build: string }[];
  assert.equal(rels.length, 2);
  assert.match(rels[0]!.description, /^Deploy [0-9a-f]{16}$/);
  assert.notEqual(rels[0]!.build, rels[1]!.build);
  assert.equal(JSON.parse((await space.cli(['releases', '-a', 'c', '--json'])).stdout).length, 1, 'c does not include the folder');
  // The release records the hash plan computes: no change left over.
  assert.equal((await planJson(space)).code, 0);

  // Rollback runs the earlier kept build: it holds what its build took from the shared folder.
  const rb = await space.cli(['rollback', '-a', 'a']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(await greet('a'), 'hello');
});
