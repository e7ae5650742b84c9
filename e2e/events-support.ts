/** Test support for the event log: spawns the real broker process (TS sources through tsx) on port 0. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const brokerMain = new URL('../packages/spaceport/src/events/main.ts', import.meta.url).pathname;

export interface RunningBroker {
  port: number;
  adminPort: number;
  token: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export function tempDir(prefix = 'spaceport-events-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startBroker(opts: { dataDir?: string; port?: number; config?: Record<string, unknown> } = {}): Promise<RunningBroker> {
  const dataDir = opts.dataDir ?? tempDir();
  const token = randomBytes(12).toString('hex');
  const proc = spawn(process.execPath, ['--import', 'tsx', brokerMain, '--port', String(opts.port ?? 0), '--data', dataDir], {
    env: { ...process.env, SPACEPORT_EVENTS_TOKEN: token, SPACEPORT_EVENTS_CONFIG: JSON.stringify({ initialRebalanceDelayMs: 100, ...opts.config }) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const { port, adminPort } = await new Promise<{ port: number; adminPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /listening on 127\.0\.0\.1:(\d+) \(kafka\), admin on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), adminPort: Number(m[2]) });
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}:\n${out}`));
    });
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid!, sig);
      } catch {
        /* gone */
      }
    }
    await exited;
  };
  return {
    port,
    adminPort,
    token,
    dataDir,
    proc,
    output: () => out,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    async admin(method, path, body) {
      const res = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

/** Polls `fn` until it returns truthy or the time is up. */
export async function eventually<T>(fn: () => T | Promise<T>, ms = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
