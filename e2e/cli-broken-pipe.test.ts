import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, makeSpace } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

// `spaceport status | head -1` crashed with "Unhandled 'error' event ... write EPIPE" and exit 1 once head had gone.
test('output into a pipe whose reader is gone (| head, | true) ends quietly with exit 0', async (t) => {
  const space = makeSpace(t, `name: pipe\napps:\n  web:\n    processes: { web: node web.mjs }\n`, { web: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  for (let i = 0; i < 3; i++) {
    // `true` exits at once without reading: the CLI's writes meet a closed pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" status | true; exit \${PIPESTATUS[0]}`], { cwd: space.dir, encoding: 'utf8' });
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/, r.stderr);
    assert.equal(r.status, 0, r.stderr);
  }
  assert.equal((await space.cli(['status'])).code, 0, 'the space still answers');
});
