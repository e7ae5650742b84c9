/**
 * Helpers for the runtime e2e suites: a space in a temp dir with small fixture apps, the compiled CLI run
 * against it, and a cleanup that leaves no process behind (down, then SIGKILL of every recorded group).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'spaceport', 'bin', 'spaceport.js');

/** Fixture apps, each a tiny ES module run with node. */
export const FIXTURES: Record<string, string> = {
  'web.mjs': `import { createServer } from 'node:http';
const s = createServer((req, res) => res.end(JSON.stringify({ port: process.env.PORT, dyno: process.env.DYNO, app: process.env.APP_NAME, greeting: process.env.GREETING ?? null, key: (process.env.INTERNAL_API_KEY ?? '').length, pid: process.pid })));
s.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => { console.log('got SIGTERM'); s.close(); s.closeAllConnections(); process.exit(0); });`,
  'crash.mjs': `console.log('about to crash'); setTimeout(() => process.exit(1), Number(process.env.CRASH_AFTER ?? 0));`,
  'nobind.mjs': `console.log('not binding PORT'); setInterval(() => {}, 1000);`,
  'stubborn.mjs': `import { createServer } from 'node:http';
createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));`,
  'release.mjs': `console.log('release phase'); process.exit(process.env.FAIL_RELEASE ? 3 : 0);`,
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestSpace {
  dir: string;
  cli(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<CliResult>;
  /** Pids recorded in state (dynos and platform processes) and the control plane's pid. */
  state(): { processes: Record<string, { pid: number }>; controlPlane?: { pid: number } };
  get<T = unknown>(port: number, path?: string): Promise<T>;
}

/** Writes spaceport.yaml and the fixture apps into a temp dir; the space is stopped and removed after the test. */
export function makeSpace(t: TestContext, yaml: string, apps: Record<string, Record<string, string>> = {}): TestSpace {
  const dir = mkdtempSync(join(tmpdir(), 'sp-rt-'));
  // The gateway's default :8000 is shared by every space on the machine: tests take a port of their own.
  writeFileSync(join(dir, 'spaceport.yaml'), yaml.includes('\ngateway:') ? yaml : `${yaml.trimEnd()}\ngateway:\n  listen: 0\n`);
  for (const [app, files] of Object.entries(apps)) {
    mkdirSync(join(dir, app), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, app, name), text);
  }
  const space: TestSpace = {
    dir,
    cli: (args, opts) => runCli(dir, args, opts),
    state: () => {
      try {
        return JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8'));
      } catch {
        return { processes: {} };
      }
    },
    get: async (port, path = '/') => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return (await res.json()) as never;
    },
  };
  t.after(async () => {
    await runCli(dir, ['down'], { timeoutMs: 15_000 }).catch(() => undefined);
    const s = space.state();
    for (const rec of Object.values(s.processes)) killGroup(rec.pid);
    if (s.controlPlane) killGroup(s.controlPlane.pid);
    rmSync(dir, { recursive: true, force: true });
  });
  return space;
}

export function runCli(cwd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1' };
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b) => (stdout += b));
    child.stderr!.on('data', (b) => (stderr += b));
    child.stdin!.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A signal (ours at the timeout, or anyone's) is the shell's 128 + its number, and named in stderr, so a
      // failing assertion on the code says which one ended the CLI.
      const signum = signal ? (constants.signals[signal] ?? 0) : 0;
      resolve({ code: code ?? (signal ? 128 + signum : 1), stdout, stderr: signal ? `${stderr}\n[runCli: the CLI was ended by ${signal}]` : stderr });
    });
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Dyno {
  app: string;
  dyno: string;
  type: string;
  state: string;
  pid: number | null;
  port: number;
  release: string;
  restarts: number;
  since: string;
}

export async function ps(space: TestSpace, app?: string): Promise<Dyno[]> {
  const r = await space.cli(['ps', '--json', ...(app ? ['-a', app] : [])]);
  if (r.code !== 0) throw new Error(`ps failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Dyno[];
}

/** Pids of every process in a process group (from /proc/<pid>/stat field 5). */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
