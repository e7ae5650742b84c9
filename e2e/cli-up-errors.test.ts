/** What `up -d` says when an app fails at start: the reason, and the dyno's own last words with it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpace, until } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

test("a web dyno that crashes at start: up -d quotes its last output (here, the variable it misses)", async (t) => {
  const app = `console.log('connecting'); console.error('Error: STRIPE_KEY is not set'); process.exit(3);`;
  const space = makeSpace(t, `name: c\napps:\n  shop:\n    processes: { web: node web.mjs }\n`, { shop: { 'web.mjs': app } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 1);
  assert.match(up.stderr, /up failed: shop web\.1 crashed: exited with status 3; see `spaceport logs -a shop -d web\.1`\n {2}its last output:\n( {4}.*\n)* {4}Error: STRIPE_KEY is not set\n/);
  // the log keeps one line per event: the quoted output is not written into it a second time (read from the
  // control plane's buffer: the file is written asynchronously and may lag the up's answer)
  const log = (await space.cli(['logs', '-n', '10000'])).stdout;
  assert.match(log, /spaceport\[control-plane\]: Error: shop web\.1 crashed: exited with status 3; see `spaceport logs -a shop -d web\.1`\n/);
  assert.doesNotMatch(log, /its last output/);
});

test('Ctrl-C during a build: the log says the space stopped, not that the build failed', async (t) => {
  const space = makeSpace(t, `name: fgb\napps:\n  a:\n    build: echo building; sleep 30\n    processes: { web: node web.mjs }\n`, { a: { 'web.mjs': 'setInterval(() => {}, 1000);' } });
  const up = spawn(process.execPath, [BIN, 'up'], { cwd: space.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => up.kill('SIGKILL'));
  let out = '';
  up.stdout.on('data', (b) => (out += b));
  up.stderr.on('data', (b) => (out += b));
  await until(() => out.includes('app[a.build]: building'), 15_000, 'build running');
  up.kill('SIGINT');
  await new Promise((r) => (up.exitCode !== null ? r(null) : up.once('exit', r)));
  assert.match(out, /spaceport\[control-plane\]: Space stopped/);
  assert.doesNotMatch(out, /Error: build of a failed/);
});
