/**
 * Helpers for the Postgres e2e suites: a space in a temp dir (mode 0711, so the postgres system user can pass
 * when the suite runs as root) with a small app that uses `pg`, the compiled CLI run against it, and a cleanup
 * that leaves no process behind (down, then SIGKILL of every recorded group).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as runtimeCli, type CliResult } from './runtime-support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * An app with one web process: POST /notes?body=x inserts through DATABASE_URL, GET /notes reads through
 * ANALYTICS_URL (when attached) so both attachments are exercised. It queries the database before binding
 * PORT, so it crashes at boot if started before its database accepts connections.
 */
export const NOTES_APP = `import { createServer } from 'node:http';
import { createRequire } from 'node:module';
const pg = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('pg');
const write = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const read = new pg.Pool({ connectionString: process.env.ANALYTICS_URL ?? process.env.DATABASE_URL, max: 2 });
for (const p of [write, read]) p.on('error', () => {}); // a restarted server ends idle connections
const ddl = 'CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)';
await write.query(ddl);
createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    await write.query(ddl);
    if (req.method === 'POST') await write.query('INSERT INTO notes (body) VALUES ($1)', [url.searchParams.get('body')]);
    const r = await read.query('SELECT body FROM notes ORDER BY id');
    res.end(JSON.stringify({ notes: r.rows.map((x) => x.body), vars: Object.keys(process.env).filter((k) => k.endsWith('_URL')).sort() }));
  } catch (e) {
    res.statusCode = 503;
    res.end(JSON.stringify({ error: e.message }));
  }
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export type { CliResult } from './runtime-support.js';

export interface PgSpace {
  dir: string;
  cli(args: string[], timeoutMs?: number): Promise<CliResult>;
  state(): { processes: Record<string, { pid: number }>; controlPlane?: { pid: number }; sections: Record<string, unknown>; ports: Record<string, number> };
  cleanup(): Promise<void>;
}

export function makePgSpace(yaml: string, files: Record<string, string> = {}): PgSpace {
  const dir = mkdtempSync(join(tmpdir(), 'sp-pg-e2e-'));
  chmodSync(dir, 0o711);
  writeFileSync(join(dir, 'spaceport.yaml'), yaml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const state = () => {
    try {
      return JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8'));
    } catch {
      return { processes: {}, sections: {}, ports: {} };
    }
  };
  return {
    dir,
    cli: (args, timeoutMs) => runCli(dir, args, timeoutMs),
    state,
    async cleanup() {
      await runCli(dir, ['down'], 30_000).catch(() => undefined);
      const s = state();
      for (const rec of Object.values(s.processes as Record<string, { pid: number }>)) killGroup(rec.pid);
      if (s.controlPlane) killGroup(s.controlPlane.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CLI in `cwd` (runtime-support's runner, with this area's default timeout). */
export function runCli(cwd: string, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return runtimeCli(cwd, args, { timeoutMs });
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

export async function until<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
