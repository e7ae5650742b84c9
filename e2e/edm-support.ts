/**
 * Helpers for the edm e2e suites (and bench/edm.ts): a copy of examples/edm/spaceport.yaml in a temp dir, its app
 * roots pointing back at the real apps, the gateway and the broker on platform-allocated ports, run with the
 * compiled CLI; a cleanup that leaves no process behind (down, then SIGKILL of every recorded process group).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { runCli as runtimeCli, type CliResult } from './runtime-support.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EDM = join(ROOT, 'examples', 'edm');
export const EDM_APPS = ['edm-ui', 'edm-dashboard', 'edm-relay', 'edm-stream', 'edm-stats'] as const;
export const PARTNER_KEY = 'partner-demo-key-0001';

export type { CliResult } from './runtime-support.js';

export interface Dyno {
  app: string;
  dyno: string;
  state: string;
  pid: number | null;
  port: number;
  restarts: number;
}

export interface EdmSpace {
  dir: string;
  /** Public gateway, such as http://127.0.0.1:41234. */
  gateway: string;
  /** kafkajs broker list. */
  brokers: string[];
  cli(args: string[], timeoutMs?: number): Promise<CliResult>;
  ps(app?: string): Promise<Dyno[]>;
  /** Process-group leaders recorded in state: platform processes and dynos, by name. */
  processes(): Record<string, { pid: number }>;
  cleanup(): Promise<void>;
}

/** Newest modification time under a directory (files only). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The compiled entry of an edm app, from its Procfile (`web: node dist/...`), relative to the app's root. */
export function edmMain(app: string): string {
  const m = /^web:\s*node\s+(\S+)/m.exec(readFileSync(join(EDM, 'apps', app, 'Procfile'), 'utf8'));
  if (!m) throw new Error(`examples/edm/apps/${app}/Procfile has no \`web: node <file>\` line`);
  return m[1]!;
}

/**
 * Builds the edm apps once (tsc per app) unless dist/ is newer than src/ and the shared folder the Kafka apps
 * include. A lock directory keeps suites running side by side from building the same app at once; the test copies
 * of the space then have no build step.
 */
export async function buildEdmApps(): Promise<void> {
  const lock = join(tmpdir(), 'spaceport-edm-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    for (const app of EDM_APPS) {
      const root = join(EDM, 'apps', app);
      const out = join(root, edmMain(app));
      if (existsSync(out) && statSync(out).mtimeMs >= Math.max(newest(join(root, 'src')), newest(join(EDM, 'shared')))) continue;
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'pipe' });
    }
  } finally {
    rmdirSync(lock);
  }
}

/** The parts of the parsed spaceport.yaml that suites edit (plain objects, as in the YAML). */
export interface EdmConfig {
  apps: Record<string, { root?: string; build?: string; scale?: Record<string, number>; env?: Record<string, string>; [k: string]: unknown }>;
  addons: Record<string, { port?: number; [k: string]: unknown }>;
  gateway: {
    listen: string | number;
    services: Record<string, { routes: Record<string, { plugins?: Record<string, Record<string, unknown>>; [k: string]: unknown }>; [k: string]: unknown }>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface EdmSpaceOptions {
  /** Edits the parsed config before it is written. */
  edit?: (config: EdmConfig) => void;
  /** Keep the apps' `build:` steps (the benchmark measures them); tests build once with buildEdmApps instead. */
  keepBuilds?: boolean;
}

/** Writes the space's copy into a temp dir (nothing started). */
export function writeEdmSpace(opts: EdmSpaceOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-edm-'));
  chmodSync(dir, 0o755); // as root, Postgres runs as the postgres user and must pass through this directory
  const config = parse(readFileSync(join(EDM, 'spaceport.yaml'), 'utf8')) as EdmConfig;
  for (const [name, app] of Object.entries(config.apps)) {
    app.root = join(EDM, 'apps', name);
    if (!opts.keepBuilds) delete app.build;
  }
  config.gateway.listen = '127.0.0.1:0';
  config.addons.events.port = 0;
  opts.edit?.(config);
  writeFileSync(join(dir, 'spaceport.yaml'), stringify(config));
  return dir;
}

/** Starts a copy of the edm space (`up -d`) and returns it once every dyno is up. */
export async function startEdmSpace(opts: EdmSpaceOptions = {}): Promise<EdmSpace> {
  if (!opts.keepBuilds) await buildEdmApps();
  const dir = writeEdmSpace(opts);
  const cli = (args: string[], timeoutMs = 30_000) => runCli(dir, args, timeoutMs);
  const processes = () => {
    try {
      return (JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as { processes: Record<string, { pid: number }> }).processes;
    } catch {
      return {};
    }
  };
  const cleanup = async () => {
    await cli(['down'], 30_000).catch(() => undefined);
    const state = (() => {
      try {
        return JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as { processes: Record<string, { pid: number }>; controlPlane?: { pid: number } };
      } catch {
        return { processes: {} as Record<string, { pid: number }>, controlPlane: undefined };
      }
    })();
    for (const rec of Object.values(state.processes)) killGroup(rec.pid);
    if (state.controlPlane) killGroup(state.controlPlane.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  const up = await cli(['up', '-d'], 180_000);
  if (up.code !== 0) {
    await cleanup();
    throw new Error(`spaceport up failed (${up.code}): ${up.stdout}\n${up.stderr}`);
  }
  const status = await cli(['status', '--json']);
  const s = JSON.parse(status.stdout) as { services: Record<string, { listen?: string; url?: string }> };
  const gateway = s.services.gateway?.listen;
  const kafka = s.services['addons.events']?.url;
  if (!gateway || !kafka) {
    await cleanup();
    throw new Error(`status has no gateway listener or kafka url: ${status.stdout}`);
  }
  return {
    dir,
    gateway: gateway.replace(/\/$/, ''),
    brokers: kafka.split(',').map((u) => u.replace(/^kafka:\/\//, '')),
    cli,
    ps: async (app) => {
      const r = await cli(['ps', '--json', ...(app ? ['-a', app] : [])]);
      if (r.code !== 0) throw new Error(`ps failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as Dyno[];
    },
    processes,
    cleanup,
  };
}

/** The CLI in `cwd` (runtime-support's runner, with this area's default timeout). */
export function runCli(cwd: string, args: string[], timeoutMs = 30_000): Promise<CliResult> {
  return runtimeCli(cwd, args, { timeoutMs });
}

export function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Stats {
  totals: { click: number; pageload: number };
  products: { product: string; click: number; pageload: number }[];
  minutes: { minute: string; click: number; pageload: number }[];
  served_by: string | null;
}

export async function stats(space: EdmSpace): Promise<Stats> {
  const r = await fetch(`${space.gateway}/api/stats`);
  if (r.status !== 200) throw new Error(`GET /api/stats: ${r.status} ${await r.text()}`);
  return (await r.json()) as Stats;
}

/** Flags for Debian's chromium in a sandbox-less, network-less CI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const CHROMIUM = '/usr/bin/chromium';
