import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceHash, sourceHashAsync } from './builds.js';

const dir = mkdtempSync(join(tmpdir(), 'spaceport-include-hash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** apps/api with one source file, and a shared folder beside apps/ with an output folder the hash ignores. */
function tree(base: string): { root: string; shared: string } {
  const root = join(base, 'apps', 'api');
  const shared = join(base, 'shared');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(shared, 'dist'), { recursive: true });
  writeFileSync(join(root, 'src', 'server.ts'), 'import "../../../shared/socket.js";');
  writeFileSync(join(shared, 'socket.ts'), 'export const a = 1;');
  writeFileSync(join(shared, 'dist', 'socket.js'), 'built');
  return { root, shared };
}

test('an app without include hashes exactly as before include existed', () => {
  const { root } = tree(join(dir, 'compat'));
  // The hash as it was: sha256 over (path, NUL, content, NUL) of each file of root, sorted.
  const h = createHash('sha256');
  for (const [f, c] of [['src/server.ts', 'import "../../../shared/socket.js";']]) h.update(`${f}\0${c}\0`);
  assert.equal(sourceHash(root), h.digest('hex').slice(0, 16));
  assert.equal(sourceHash(root, []), sourceHash(root));
});

test('a change in an included folder changes the hash; its ignored outputs do not; sync and async agree', async () => {
  const { root, shared } = tree(join(dir, 'change'));
  const before = sourceHash(root, [shared]);
  assert.notEqual(before, sourceHash(root), 'the included files count');
  assert.equal(await sourceHashAsync(root, [shared]), before);
  writeFileSync(join(shared, 'dist', 'socket.js'), 'rebuilt');
  assert.equal(sourceHash(root, [shared]), before, 'build outputs in the shared folder are ignored');
  writeFileSync(join(shared, 'socket.ts'), 'export const a = 2;');
  const after = sourceHash(root, [shared]);
  assert.notEqual(after, before);
  assert.equal(await sourceHashAsync(root, [shared]), after);
});

test('the hash is the same for a copy of the tree elsewhere, and moving a file from root to the shared folder changes it', () => {
  const a = tree(join(dir, 'copy-a'));
  cpSync(join(dir, 'copy-a'), join(dir, 'copy-b'), { recursive: true });
  const b = { root: join(dir, 'copy-b', 'apps', 'api'), shared: join(dir, 'copy-b', 'shared') };
  assert.equal(sourceHash(b.root, [b.shared]), sourceHash(a.root, [a.shared]));
  const before = sourceHash(b.root, [b.shared]);
  writeFileSync(join(b.root, 'src', 'util.ts'), 'x');
  const withUtilInRoot = sourceHash(b.root, [b.shared]);
  renameSync(join(b.root, 'src', 'util.ts'), join(b.shared, 'util.ts'));
  assert.notEqual(sourceHash(b.root, [b.shared]), withUtilInRoot);
  assert.notEqual(withUtilInRoot, before);
});
