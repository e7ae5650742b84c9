import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeStamp, memoizedStamp } from './validator-stamp.js';

test('the memoized stamp is reused while its files stat the same, and computed again when one is rewritten', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-stamp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src');
  mkdirSync(join(src, 'config'), { recursive: true });
  mkdirSync(join(src, 'gateway', 'plugins', 'cors'), { recursive: true });
  writeFileSync(join(src, 'config', 'load.ts'), "import { rule } from './rules.js';\nexport const x = rule;\n");
  writeFileSync(join(src, 'config', 'rules.ts'), 'export const rule = 1;\n');
  writeFileSync(join(src, 'gateway', 'plugins', 'cors', 'schema.ts'), 'export const s = 1;\n');
  const memo = join(dir, 'space', '.spaceport', 'validator-stamp.json');

  const first = memoizedStamp(src, memo);
  assert.equal(first, computeStamp(src).stamp);
  const files = (JSON.parse(readFileSync(memo, 'utf8')) as { files: [string, string][] }).files.map(([f]) => f);
  assert.deepEqual(files.slice(0, 4).map((f) => f.slice(src.length)), ['/gateway/plugins', '/config/load.ts', '/config/rules.ts', '/gateway/plugins/cors/schema.ts']);
  assert.ok(files.slice(4).every((f) => f.endsWith('package.json')), 'then the libraries\' package.json');
  // Reused: a mark only the memo holds comes back while nothing changed.
  writeFileSync(memo, readFileSync(memo, 'utf8').replace(first, 'from-memo'));
  assert.equal(memoizedStamp(src, memo), 'from-memo');
  // A rule changed in an imported module (same size even): a new file, so a new stamp.
  writeFileSync(join(src, 'config', 'rules.ts.new'), 'export const rule = 2;\n');
  rmSync(join(src, 'config', 'rules.ts'));
  writeFileSync(join(src, 'config', 'rules.ts'), readFileSync(join(src, 'config', 'rules.ts.new')));
  const second = memoizedStamp(src, memo);
  assert.notEqual(second, 'from-memo');
  assert.notEqual(second, first);
  assert.equal(second, computeStamp(src).stamp);
  // A new plugin folder counts too.
  mkdirSync(join(src, 'gateway', 'plugins', 'acl'));
  writeFileSync(join(src, 'gateway', 'plugins', 'acl', 'schema.ts'), 'export const s = 2;\n');
  assert.notEqual(memoizedStamp(src, memo), second);
});
