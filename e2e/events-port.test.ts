/** A taken Kafka port: the broker exits at once with one line that names the port and what to do, no stack trace. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { brokerMain, tempDir } from './events-support.js';

let holder: Server | undefined;
after(() => holder?.close());

test('a port in use: one clear line and exit code 3', async () => {
  holder = createServer();
  const port = await new Promise<number>((resolve) => holder!.listen(0, '127.0.0.1', () => resolve((holder!.address() as { port: number }).port)));
  const child = spawn(process.execPath, ['--import', 'tsx', brokerMain, '--port', String(port), '--data', tempDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 3, out); // a taken port exits 3 (events/exit-codes.ts)
  assert.match(out, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use by another program: stop it, or give the broker another port`));
  assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
});
