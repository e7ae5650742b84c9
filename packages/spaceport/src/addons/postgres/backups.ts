/**
 * `pg:backups`: captures into `.spaceport/backups/` (0700) and restores them. With a pg_dump at least as new
 * as the server, a capture is a logical dump in pg_dump's custom format (`b001-db.dump`), restored with
 * pg_restore. The embedded binaries ship no pg_dump, and distributions often carry an older one that refuses a
 * newer server; then a capture is a hot physical snapshot of the data directory (pg_backup_start/stop plus the
 * WAL written meanwhile: `b001-db.snapshot.tar.gz`), restored by swapping the data directory while the server is
 * stopped. Both keep the password out of argv (PGPASSWORD in the env).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { clientToolVersions, findClientTool } from './binaries.js';
import { withClient } from './client.js';
import type { EmbeddedPostgres } from './embedded.js';
import type { RunAs } from './run-as.js';

export interface BackupInfo {
  id: string;
  addon: string;
  kind: 'dump' | 'snapshot';
  file: string;
  sizeBytes: number;
  createdAt: string;
}

const FILE_RE = /^(b\d{3,})-([a-z][a-z0-9-]*)\.(dump|snapshot\.tar\.gz)$/;

export function backupsDir(stateDir: string): string {
  return join(stateDir, 'backups');
}

/** Every backup in the directory, oldest first; only `addon`'s when given. */
export function listBackups(stateDir: string, addon?: string): BackupInfo[] {
  const dir = backupsDir(stateDir);
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const f of readdirSync(dir)) {
    const m = FILE_RE.exec(f);
    if (!m || (addon && m[2] !== addon)) continue;
    const st = statSync(join(dir, f));
    out.push({ id: m[1]!, addon: m[2]!, kind: m[3] === 'dump' ? 'dump' : 'snapshot', file: join(dir, f), sizeBytes: st.size, createdAt: st.mtime.toISOString() });
  }
  return out.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

function nextId(stateDir: string): string {
  const max = listBackups(stateDir).reduce((m, b) => Math.max(m, Number(b.id.slice(1))), 0);
  return `b${String(max + 1).padStart(3, '0')}`;
}

/** Env that points libpq tools at `url` without putting the password in argv. */
export function libpqEnv(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
  };
}

/** Captures a backup of `svc`'s database. */
export async function captureBackup(svc: EmbeddedPostgres, stateDir: string, serverMajor: number): Promise<BackupInfo> {
  const dir = backupsDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = nextId(stateDir);
  const pgDump = findClientTool('pg_dump', serverMajor);
  if (pgDump) {
    const file = join(dir, `${id}-${svc.addon}.dump`);
    await run(pgDump.path, ['--format=custom', '--no-password', `--file=${file}.partial`], libpqEnv(svc.url()));
    renameSync(`${file}.partial`, file);
  } else {
    await snapshot(svc, join(dir, `${id}-${svc.addon}.snapshot.tar.gz`));
  }
  return listBackups(stateDir, svc.addon).find((b) => b.id === id)!;
}

/** A hot physical copy: the data directory between pg_backup_start and pg_backup_stop, its label, its WAL. */
async function snapshot(svc: EmbeddedPostgres, file: string): Promise<void> {
  const partial = `${file}.partial.tar`;
  try {
    await snapshotInto(svc, partial);
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(`${partial}.extra`, { recursive: true, force: true });
    throw err;
  }
  // Compressed at the end (tar cannot append to a compressed archive); WAL segments are mostly zeros.
  await run('gzip', ['-1', '-f', partial]);
  renameSync(`${partial}.gz`, file);
}

async function snapshotInto(svc: EmbeddedPostgres, partial: string): Promise<void> {
  const data = svc.paths.data;
  await withClient(svc.adminUrl(), async (c) => {
    const start = await c.query<{ seg: string }>(`SELECT pg_walfile_name(pg_backup_start('spaceport', true)) AS seg`);
    try {
      // tar exits 1 when a file changed while read: expected in a hot copy, which WAL replay makes consistent.
      await run('tar', ['-cf', partial, '-C', data, '--exclude=./postmaster.pid', '--exclude=./postmaster.opts', '--exclude=./pg_wal', '.'], undefined, [0, 1]);
    } catch (err) {
      await c.query('SELECT pg_backup_stop(false)').catch(() => {});
      throw err;
    }
    const stop = await c.query<{ labelfile: string; seg: string }>(`SELECT labelfile, pg_walfile_name(lsn) AS seg FROM pg_backup_stop(false)`);
    const first = start.rows[0]!.seg;
    const last = stop.rows[0]!.seg;
    // The label and the WAL segments from the start's to the stop's, laid out as in a data directory.
    const extra = `${partial}.extra`;
    rmSync(extra, { recursive: true, force: true });
    mkdirSync(join(extra, 'pg_wal'), { recursive: true });
    writeFileSync(join(extra, 'backup_label'), stop.rows[0]!.labelfile);
    const segs = readdirSync(join(data, 'pg_wal')).filter((f) => /^[0-9A-F]{24}$/.test(f) && f >= first && f <= last);
    if (segs.length !== segmentNumber(last) - segmentNumber(first) + 1) {
      throw new Error(`WAL written during the capture was already recycled (${first} to ${last}, ${segs.length} found); capture again, at a quieter moment`);
    }
    await run('cp', ['-p', ...segs.map((s) => join(data, 'pg_wal', s)), join(extra, 'pg_wal')]);
    const st = statSync(data);
    chownSync(join(extra, 'backup_label'), st.uid, st.gid);
    chownSync(join(extra, 'pg_wal'), st.uid, st.gid);
    await run('tar', ['-rf', partial, '-C', extra, './backup_label', './pg_wal']);
    rmSync(extra, { recursive: true, force: true });
  });
}

/** Restores `backup` into `svc`'s database (dump: pg_restore --clean; snapshot: swap the data directory). */
export async function restoreBackup(svc: EmbeddedPostgres, backup: BackupInfo, runAs: RunAs | undefined): Promise<void> {
  if (backup.kind === 'dump') {
    const major = Number.parseInt(svc.serverVersion ?? '0', 10);
    const tool = findClientTool('pg_restore', major);
    if (!tool) {
      const found = clientToolVersions('pg_restore');
      throw new Error(
        `restoring ${backup.id} needs pg_restore ${major} or newer (found: ${found.length ? found.join(', ') : 'none'}); ` +
          `install postgresql-client-${major}, or set SPACEPORT_PG_BIN to a directory holding it`,
      );
    }
    await run(tool.path, ['--clean', '--if-exists', '--no-owner', '--no-password', '--single-transaction', `--dbname=${new URL(svc.url()).pathname.slice(1)}`, backup.file], libpqEnv(svc.url()));
    return;
  }
  if (backup.addon !== svc.addon) {
    // A snapshot is a whole cluster, with the other add-on's user and password: it would lock this one's apps out.
    throw new Error(`${backup.id} is a snapshot of ${backup.addon}: it restores only into ${backup.addon}, not ${svc.addon}`);
  }
  const data = svc.paths.data;
  const aside = `${data}.before-restore`;
  await svc.stop();
  rmSync(aside, { recursive: true, force: true });
  renameSync(data, aside);
  try {
    mkdirSync(data, { mode: 0o700 });
    await run('tar', ['-xzf', backup.file, '-C', data, '--same-owner']);
    if (runAs) await run('chown', ['-R', `${runAs.uid}:${runAs.gid}`, data]);
    await svc.start();
  } catch (err) {
    // The previous data goes back in place and runs again: a failed restore loses nothing.
    await svc.stop().catch(() => {});
    rmSync(data, { recursive: true, force: true });
    renameSync(aside, data);
    await svc.start();
    throw new Error(`restoring ${backup.id} failed, the previous data is back in place: ${(err as Error).message}`);
  }
  rmSync(aside, { recursive: true, force: true });
}

/** Position of a WAL segment file on its timeline (16 MB segments: 256 per `log` number). */
function segmentNumber(name: string): number {
  return Number.parseInt(name.slice(8, 16), 16) * 256 + Number.parseInt(name.slice(16, 24), 16);
}

function run(command: string, args: string[], env?: Record<string, string>, okCodes = [0]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (okCodes.includes(code ?? -1) ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${err.trim()}`))));
  });
}
