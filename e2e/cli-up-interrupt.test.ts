import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, makeSpace, ps, until } from './runtime-support.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

// Ctrl-C during `up -d` ended the CLI without a word while the detached control plane went on starting the space.
test('Ctrl-C during up -d says the space goes on starting in the background (exit 130), and it does', async (t) => {
  const space = makeSpace(t, `name: intr\napps:\n  web:\n    build: sleep 2\n    processes: { web: node web.mjs }\n`, { web: { 'web.mjs': FIXTURES['web.mjs']! } });
  const cli = spawn(process.execPath, [BIN, 'up', '-d'], { cwd: space.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  cli.stderr.on('data', (d: Buffer) => (err += d));
  await until(async () => /Starting the space/.test(err), 10_000, 'the start line');
  cli.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => cli.once('exit', (c) => resolve(c)));
  assert.equal(code, 130);
  assert.match(err, /Stopped waiting\. The space goes on starting in the background: `spaceport ps` shows it, `spaceport logs -t` follows it, `spaceport down` stops it\./);
  await until(async () => (await ps(space).catch(() => [])).some((d) => d.state === 'up'), 30_000, 'web.1 up');
});
