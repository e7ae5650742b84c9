import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, alive, makeSpace, ps, until } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

test('foreground up streams the merged logs without colour when piped; logs -t follows; Ctrl-C stops everything', async (t) => {
  const space = makeSpace(t, `name: fg\napps:\n  a:\n    processes: { web: node web.mjs }\n`, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  const env = { ...process.env };
  delete env.NO_COLOR;
  const up = spawn(process.execPath, [BIN, 'up'], { cwd: space.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => up.kill('SIGKILL'));
  let out = '';
  up.stdout.on('data', (b) => (out += b));
  await until(() => out.includes('spaceport[a.web.1]: State changed from starting to up'), 15_000, 'web.1 up');
  assert.match(out, /^\S+Z spaceport\[a\.web\.1\]: Starting process with command `node web\.mjs`$/m);
  assert.doesNotMatch(out, /\x1b\[/, 'no colour codes when piped');

  const follow = spawn(process.execPath, [BIN, 'logs', '-t', '-n', '0', '-a', 'a'], { cwd: space.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => follow.kill('SIGKILL'));
  let followed = '';
  follow.stdout.on('data', (b) => (followed += b));
  await new Promise((r) => setTimeout(r, 300));
  const [web] = await ps(space);
  await space.get(web!.port);
  assert.equal((await space.cli(['restart', '-a', 'a'])).code, 0);
  await until(() => followed.includes('Stopping all processes with SIGTERM'), 5000, 'followed restart lines');
  assert.match(followed, /app\[a\.web\.1\]: listening on \d+/);

  const pid = (await ps(space))[0]!.pid!;
  up.kill('SIGINT');
  const code = await exited(up);
  assert.equal(code, 0);
  assert.equal(alive(pid), false);
  assert.match(out, /spaceport\[control-plane\]: Space stopped/);
  await exited(follow); // the stream ends with the control plane
});

function exited(c: ChildProcess): Promise<number | null> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode);
  return new Promise((r) => c.once('exit', (code) => r(code)));
}

test('Ctrl-C during a build stops the space; no dyno starts afterwards', async (t) => {
  const space = makeSpace(t, `name: fgb\napps:\n  a:\n    build: echo building; sleep 30\n    processes: { web: node web.mjs }\n`, { a: { 'web.mjs': FIXTURES['web.mjs']! } });
  const up = spawn(process.execPath, [BIN, 'up'], { cwd: space.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => up.kill('SIGKILL'));
  let out = '';
  up.stdout.on('data', (b) => (out += b));
  await until(() => out.includes('app[a.build]: building'), 15_000, 'build running');
  const t0 = Date.now();
  up.kill('SIGINT');
  await exited(up);
  assert.ok(Date.now() - t0 < 5000, 'stopped without waiting for the build');
  assert.doesNotMatch(out, /spaceport\[a\.web\.1\]/);
  assert.deepEqual(space.state().processes, {});
});
