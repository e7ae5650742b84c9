/** A port the broker cannot bind (taken, or privileged): it exits at once with one line that says what to do, no stack trace. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
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

/** Whether a user other than the owner can read `file` (every directory above it passable, the file readable). */
function othersCanRead(file: string): boolean {
  if ((statSync(file).mode & 0o004) === 0) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

const unprivilegedFrom = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  } catch {
    return 1024;
  }
})();
const root = process.getuid?.() === 0;
// As root the broker runs as nobody (it must be able to read the sources), otherwise as this user.
const cannotTry = unprivilegedFrom <= 80 ? 'port 80 is unprivileged here' : root && !othersCanRead(brokerMain) ? 'nobody cannot read the sources' : false;

test('a port this user may not bind: one clear line and exit code 4', { skip: cannotTry }, async () => {
  const data = tempDir();
  chmodSync(data, 0o777);
  const child = spawn(process.execPath, ['--import', 'tsx', brokerMain, '--port', '80', '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(root ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: data } } : {}),
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 4, out);
  assert.match(out, /port 80 on 127\.0\.0\.1 may not be bound by this user \(ports below 1024 need privileges\): give the broker a port of 1024 or more/);
  assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
});
