/** `logs -t` across a stop: the follower gets every line of it, to "Space stopped", then ends with exit 0. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, makeSpace } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

test('a logs -t follower sees the whole stop, to the last line, then exits 0', async (t) => {
  const space = makeSpace(t, `name: follow\napps:\n  w:\n    processes: { web: node web.mjs }\n`, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const follower = spawn(process.execPath, [BIN, 'logs', '-t', '-n', '1'], { cwd: space.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => follower.kill('SIGKILL'));
  let out = '';
  const connected = new Promise<void>((resolve) => follower.stdout.on('data', (b) => ((out += b), resolve())));
  const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
  await connected; // the -n 1 line came: it follows from here on
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(await exited, 0);
  assert.match(out, /spaceport\[w\.web\.1\]: State changed from stopping to down\n/);
  assert.match(out, /spaceport\[gateway\.gateway\]: Process exited with status 0\n/, 'the platform services\' stop too');
  assert.match(out, /spaceport\[control-plane\]: Space stopped\n$/, 'to the last line');
});
