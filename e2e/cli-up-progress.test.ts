/** `up -d` on a terminal shows the progress line while the detached control plane starts (it was silent). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpace, FIXTURES } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

test('up -d on a terminal (script(1) gives it a pty) draws builds and dynos as they come, then the box', async (t) => {
  const space = makeSpace(t, `name: pr\napps:\n  p:\n    build: echo building; sleep 1\n    processes: { web: node web.mjs }\n`, { p: { 'web.mjs': FIXTURES['web.mjs']! } });
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} up -d`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: space.dir, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  assert.equal(code, 0, out);
  const frames = out.split('\r').join('\n');
  assert.match(frames, /pr \d+s · builds 0\/1 · dynos 0\/1 up · /, 'the line while building');
  // The line is cut to the terminal's width with an ellipsis: 'Build succ' is all a narrow frame may keep.
  assert.match(frames, /pr \d+s · builds 1\/1 · dynos 0\/1 up · p (build: Build succ|web\.1: )/, 'the build counted');
  assert.match(out, /Space pr is up: 1 dyno/);
  // the line is cleared before the table: no progress text on the table's lines
  assert.match(out, /\r\x1b\[2KAPP +DYNO/);
});
