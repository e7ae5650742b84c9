import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedParents } from './cluster.js';

test('the directories that keep the postgres user out are named (mkdtemp makes 0700 ones), so the fix can be exact', (t) => {
  const top = mkdtempSync(join(tmpdir(), 'sp-closed-')); // 0700
  t.after(() => rmSync(top, { recursive: true, force: true }));
  const home = join(top, 'space', '.spaceport', 'postgres', 'db');
  mkdirSync(home, { recursive: true, mode: 0o755 });
  chmodSync(join(top, 'space'), 0o750);
  const other = { uid: 54321, gid: 54321, user: 'postgres' };
  assert.deepEqual(closedParents(home, other), [top, join(top, 'space')]);
  chmodSync(top, 0o711);
  chmodSync(join(top, 'space'), 0o751);
  assert.deepEqual(closedParents(home, other), []);
});
