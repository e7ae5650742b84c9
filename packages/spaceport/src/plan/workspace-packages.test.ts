import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { keepBuild, packageHashes, packageHashesAsync, sourceHash, sourceHashAsync } from './builds.js';
import { workspacePackages } from './workspace-packages.js';

const dir = mkdtempSync(join(tmpdir(), 'spaceport-workspace-hash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
const pkg = (name: string, deps: Record<string, string> = {}, extra: Record<string, unknown> = {}) => JSON.stringify({ name, version: '1.0.0', dependencies: deps, ...extra });

/**
 * An npm workspace as `npm install` leaves it: packages/auth (with a built dist/) depends on packages/util;
 * node_modules holds relative links to both and a registry package, left-pad. apps/a uses @ws/auth and left-pad,
 * apps/b only left-pad, apps/c @ws/util as a devDependency.
 */
function workspace(base: string): { a: string; b: string; c: string; auth: string; util: string } {
  const auth = join(base, 'packages', 'auth');
  const util = join(base, 'packages', 'util');
  write(join(base, 'package.json'), JSON.stringify({ name: 'ws', private: true, workspaces: ['packages/*', 'apps/*'] }));
  write(join(auth, 'package.json'), pkg('@ws/auth', { '@ws/util': '*' }, { devDependencies: { '@ws/devtool': '*' } }));
  write(join(auth, 'src', 'index.ts'), 'export const check = 1;');
  write(join(auth, 'dist', 'index.js'), 'export const check = 1;');
  write(join(util, 'package.json'), pkg('@ws/util'));
  write(join(util, 'index.js'), 'export const u = 1;');
  write(join(base, 'packages', 'devtool', 'package.json'), pkg('@ws/devtool'));
  write(join(base, 'node_modules', 'left-pad', 'package.json'), pkg('left-pad'));
  write(join(base, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;');
  mkdirSync(join(base, 'node_modules', '@ws'), { recursive: true });
  for (const p of ['auth', 'util', 'devtool']) symlinkSync(join('..', '..', 'packages', p), join(base, 'node_modules', '@ws', p));
  const apps = { a: join(base, 'apps', 'a'), b: join(base, 'apps', 'b'), c: join(base, 'apps', 'c') };
  write(join(apps.a, 'package.json'), pkg('a', { '@ws/auth': '*', 'left-pad': '^1' }));
  write(join(apps.b, 'package.json'), pkg('b', { 'left-pad': '^1' }));
  write(join(apps.c, 'package.json'), JSON.stringify({ name: 'c', devDependencies: { '@ws/util': '*' } }));
  for (const app of Object.values(apps)) write(join(app, 'server.js'), 'console.log(1);');
  return { ...apps, auth, util };
}

test('an app depends on the local packages its package.json names, transitively; registry packages and their devDependencies are not', () => {
  const w = workspace(join(dir, 'resolve'));
  assert.deepEqual(workspacePackages(w.a), [w.auth, w.util], 'auth, and util through auth; not auth\'s devDependency');
  assert.deepEqual(workspacePackages(w.b), [], 'a registry package is not source');
  assert.deepEqual(workspacePackages(w.c), [w.util], 'the app\'s own devDependencies count (its build may use them)');
  assert.deepEqual(workspacePackages(join(dir, 'nowhere')), []);
});

test('a change in a workspace package changes the hash of the apps that depend on it, and of no other', async () => {
  const w = workspace(join(dir, 'change'));
  const before = { a: sourceHash(w.a), b: sourceHash(w.b), c: sourceHash(w.c) };
  assert.equal(await sourceHashAsync(w.a), before.a, 'sync and async agree');
  write(join(w.auth, 'src', 'index.ts'), 'export const check = 2;');
  assert.notEqual(sourceHash(w.a), before.a, 'a uses auth');
  assert.equal(sourceHash(w.b), before.b);
  assert.equal(sourceHash(w.c), before.c);
  assert.equal(await sourceHashAsync(w.a), sourceHash(w.a));

  const mid = { a: sourceHash(w.a), c: sourceHash(w.c) };
  write(join(w.util, 'index.js'), 'export const u = 2;');
  assert.notEqual(sourceHash(w.a), mid.a, 'a uses util through auth');
  assert.notEqual(sourceHash(w.c), mid.c, 'c uses util directly');
  assert.equal(sourceHash(w.b), before.b);

  // Build outputs and the registry's packages are not source, here as in an app's root.
  const last = sourceHash(w.a);
  write(join(w.auth, 'dist', 'index.js'), 'rebuilt');
  write(join(dirname(dirname(w.auth)), 'node_modules', 'left-pad', 'index.js'), 'module.exports = 2;');
  assert.equal(sourceHash(w.a), last);
  assert.equal(await sourceHashAsync(w.a), last);
});

test('an app without workspace packages hashes as before; a copy of the workspace elsewhere hashes the same', () => {
  const w = workspace(join(dir, 'copy-a'));
  // b's hash is the plain hash of its root: what it was before workspace packages counted.
  const alone = join(dir, 'alone');
  cpSync(w.b, alone, { recursive: true });
  assert.equal(sourceHash(w.b), sourceHash(alone));
  cpSync(join(dir, 'copy-a'), join(dir, 'copy-b'), { recursive: true, verbatimSymlinks: true });
  assert.equal(sourceHash(join(dir, 'copy-b', 'apps', 'a')), sourceHash(w.a));
});

test('file: dependencies count whether installed or not; a package inside root or an include folder, or holding root, is not listed again', () => {
  const base = join(dir, 'file-deps');
  const root = join(base, 'app');
  write(join(base, 'lib', 'package.json'), pkg('lib'));
  write(join(base, 'lib', 'index.js'), 'x');
  write(join(base, 'shared', 'pkg', 'package.json'), pkg('shared-pkg'));
  write(join(root, 'vendor', 'inner', 'package.json'), pkg('inner'));
  write(join(root, 'package.json'), pkg('app', { lib: 'file:../lib', inner: 'file:./vendor/inner', 'shared-pkg': 'file:../shared/pkg', whole: 'file:..', tarball: 'file:../x.tgz' }));
  write(join(base, 'package.json'), pkg('whole'));
  assert.deepEqual(workspacePackages(root), [join(base, 'lib'), join(base, 'shared', 'pkg')]);
  assert.deepEqual(workspacePackages(root, [join(base, 'shared')]), [join(base, 'lib')]);
  const before = sourceHash(root, [join(base, 'shared')]);
  write(join(base, 'lib', 'index.js'), 'y');
  assert.notEqual(sourceHash(root, [join(base, 'shared')]), before);
});

test('a kept build holds a copy of the workspace packages as built, and resolves every other package as its root does', async () => {
  const w = workspace(join(dir, 'keep'));
  const state = join(dir, 'keep-state'); // outside the workspace: nothing above it has a node_modules
  const h = sourceHash(w.a);
  const build = await keepBuild(state, 'a', w.a, h);
  const copy = join(build, 'node_modules', '@ws', 'auth');
  assert.equal(lstatSync(copy).isSymbolicLink(), false, 'copied, not linked');
  assert.equal(readFileSync(join(copy, 'dist', 'index.js'), 'utf8'), 'export const check = 1;', 'built outputs in');
  assert.equal(lstatSync(join(build, 'node_modules', '@ws', 'util')).isSymbolicLink(), false, 'util, which auth depends on, is copied too');
  // The registry package hoisted to the workspace's root, and the workspace package a does not use, stay links.
  assert.equal(realpathSync(join(build, 'node_modules', 'left-pad')), realpathSync(join(dirname(dirname(w.a)), 'node_modules', 'left-pad')));
  assert.equal(lstatSync(join(build, 'node_modules', '@ws', 'devtool')).isSymbolicLink(), true);

  write(join(w.auth, 'dist', 'index.js'), 'export const check = 2;');
  assert.equal(readFileSync(join(copy, 'dist', 'index.js'), 'utf8'), 'export const check = 1;', 'the kept build does not change with the package');

  // An app with no local package keeps the old shape: a link to its root's node_modules, when it has one.
  mkdirSync(join(w.b, 'node_modules'));
  const plain = await keepBuild(state, 'b', w.b, sourceHash(w.b));
  assert.equal(lstatSync(join(plain, 'node_modules')).isSymbolicLink(), true);
});

test('packageHashes names each hashed workspace package with its own hash, so plan shows which one changed', async () => {
  const w = workspace(join(dir, 'per-package'));
  const before = packageHashes(w.a)!;
  assert.deepEqual(Object.keys(before), ['@ws/auth', '@ws/util']);
  assert.deepEqual(await packageHashesAsync(w.a), before);
  assert.equal(packageHashes(w.b), undefined, 'none: no attribute');
  assert.equal(await packageHashesAsync(w.b), undefined);
  write(join(w.util, 'index.js'), 'export const u = 3;');
  const after = packageHashes(w.a)!;
  assert.equal(after['@ws/auth'], before['@ws/auth']);
  assert.notEqual(after['@ws/util'], before['@ws/util']);
  assert.deepEqual(packageHashes(w.c), { '@ws/util': after['@ws/util'] });
});
