import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDir, keepBuild, pruneBuilds, sourceHash, sourceHashAsync } from './builds.js';

const dir = mkdtempSync(join(tmpdir(), 'spaceport-builds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the source hash follows content, not mtimes or ignored folders', () => {
  const root = join(dir, 'app');
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'src', 'a.js'), 'one');
  const h1 = sourceHash(root);
  utimesSync(join(root, 'src', 'a.js'), new Date(0), new Date(0));
  mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'x', 'i.js'), 'dep');
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'out.js'), 'built');
  // tsc -b (a project reference: the edm apps) writes its build state beside tsconfig.json, not in dist/.
  writeFileSync(join(root, 'tsconfig.tsbuildinfo'), '{"version":"5.9"}');
  assert.equal(sourceHash(root), h1);
  writeFileSync(join(root, 'src', 'a.js'), 'two');
  assert.notEqual(sourceHash(root), h1);
  writeFileSync(join(root, 'src', 'a.js'), 'one');
  assert.equal(sourceHash(root), h1);
});

/** An app root with nested sources, outputs, dependencies, VCS data and logs. */
function appRoot(name: string, files = 3): string {
  const root = join(dir, name);
  for (const d of ['src/lib', 'dist', 'node_modules/x', '.git', 'build']) mkdirSync(join(root, d), { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(root, 'src', 'lib', `m${i}.js`), `export const n = ${i};\n`.repeat(50));
  writeFileSync(join(root, 'src', 'a.js'), 'one');
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(root, 'dist', 'out.js'), 'built');
  writeFileSync(join(root, 'node_modules', 'x', 'i.js'), 'dep');
  writeFileSync(join(root, '.git', 'HEAD'), 'ref');
  writeFileSync(join(root, 'npm-debug.log'), 'noise');
  return root;
}

test('the async source hash equals the synchronous one (the plan compares them), for a missing root too', async () => {
  const root = appRoot('hash');
  assert.equal(await sourceHashAsync(root), sourceHash(root));
  writeFileSync(join(root, 'src', 'a.js'), 'two');
  assert.equal(await sourceHashAsync(root), sourceHash(root));
  writeFileSync(join(root, 'dist', 'out.js'), 'rebuilt');
  assert.equal(await sourceHashAsync(root), sourceHash(root));
  assert.equal(await sourceHashAsync(join(dir, 'nowhere')), sourceHash(join(dir, 'nowhere')));
});

test('a kept build is the one buildDir finds: outputs in, node_modules linked, .git out; reused', async () => {
  const root = appRoot('keep');
  const state = join(dir, 'state');
  const h = await sourceHashAsync(root);
  const d = await keepBuild(state, 'web', root, h);
  assert.equal(buildDir(state, 'web', h), d);
  assert.equal(readFileSync(join(d, 'dist', 'out.js'), 'utf8'), 'built');
  assert.equal(readFileSync(join(d, 'src', 'lib', 'm2.js'), 'utf8').length > 0, true);
  assert.equal(readlinkSync(join(d, 'node_modules')), join(root, 'node_modules'));
  assert.equal(existsSync(join(d, '.git')), false);
  assert.equal(await keepBuild(state, 'web', root, h), d, 'reused');
});

test("an app whose root is the space's own directory (root: .) is kept without copying .spaceport into itself", async () => {
  const root = appRoot('self');
  const state = join(root, '.spaceport');
  mkdirSync(join(state, 'logs'), { recursive: true });
  writeFileSync(join(state, 'logs', 'space.log'), 'x');
  const h = await sourceHashAsync(root);
  const d = await keepBuild(state, 'web', root, h); // fs.cp of root refused: "cannot copy ... to a subdirectory of self"
  assert.equal(readFileSync(join(d, 'dist', 'out.js'), 'utf8'), 'built');
  assert.equal(existsSync(join(d, '.spaceport')), false);
  assert.equal(existsSync(join(d, '.git')), false);
  writeFileSync(join(state, 'logs', 'space.log'), 'more');
  assert.equal(await sourceHashAsync(root), h, 'the state directory is not source');
});

test('pruning keeps the newest 5 and the needed ones, and clears leftover temporary copies', async () => {
  const root = appRoot('prune');
  const state = join(dir, 'state-prune');
  const hashes: string[] = [];
  for (let i = 0; i < 7; i++) {
    writeFileSync(join(root, 'src', 'a.js'), `v${i}`);
    const h = await sourceHashAsync(root);
    hashes.push(h);
    utimesSync(await keepBuild(state, 'web', root, h), new Date(1000 * i), new Date(1000 * i));
  }
  mkdirSync(join(state, 'builds', 'web', '.dead.1.tmp'));
  const removed = await pruneBuilds(state, 'web', [hashes[0]!]);
  assert.deepEqual(removed, [hashes[1]!]);
  assert.ok(buildDir(state, 'web', hashes[0]!));
  for (const h of hashes.slice(2)) assert.ok(buildDir(state, 'web', h));
  assert.equal(existsSync(join(state, 'builds', 'web', '.dead.1.tmp')), false);
});

test('hashing and copying a large app root leave the event loop running (the synchronous hash never yields)', async () => {
  const root = appRoot('large', 400);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    const h = await sourceHashAsync(root);
    await keepBuild(join(dir, 'state-large'), 'web', root, h);
    const during = ticks;
    await new Promise((r) => setTimeout(r, 5)); // let pending ticks run, then measure the synchronous hash
    ticks = 0;
    sourceHash(root);
    assert.equal(ticks, 0);
    assert.ok(during >= 5, `the loop ticked only ${during} times during the async hash and copy of 400 files`);
  } finally {
    clearInterval(timer);
  }
});
