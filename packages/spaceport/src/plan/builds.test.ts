import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync, readlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDir, keepBuild, pruneBuilds, sourceHash } from './builds.js';

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
  assert.equal(sourceHash(root), h1);
  writeFileSync(join(root, 'src', 'a.js'), 'two');
  assert.notEqual(sourceHash(root), h1);
  writeFileSync(join(root, 'src', 'a.js'), 'one');
  assert.equal(sourceHash(root), h1);
});

test('kept builds hold the outputs, link node_modules, are reused; pruning keeps the newest and the needed', () => {
  const root = join(dir, 'app');
  const state = join(dir, 'state');
  const hashes: string[] = [];
  for (let i = 0; i < 7; i++) {
    writeFileSync(join(root, 'src', 'a.js'), `v${i}`);
    const h = sourceHash(root);
    hashes.push(h);
    const d = keepBuild(state, 'web', root, h);
    assert.equal(existsSync(join(d, 'src', 'a.js')), true);
    assert.equal(existsSync(join(d, 'dist', 'out.js')), true);
    assert.equal(readlinkSync(join(d, 'node_modules')), join(root, 'node_modules'));
    utimesSync(d, new Date(1000 * i), new Date(1000 * i));
    assert.equal(keepBuild(state, 'web', root, h), d);
  }
  const removed = pruneBuilds(state, 'web', [hashes[0]!]);
  assert.deepEqual(removed.sort(), [hashes[1]!].sort());
  assert.ok(buildDir(state, 'web', hashes[0]!));
  assert.equal(buildDir(state, 'web', hashes[1]!), undefined);
  for (const h of hashes.slice(2)) assert.ok(buildDir(state, 'web', h));
});
