/**
 * The state file, `.spaceport/state.json`: what Spaceport created and runs, with secrets, so it is 0600.
 * Versioned (see schema.ts), written atomically (temp file + rename), and read whole: it is small. The version
 * each write replaces stays beside it as `state.json.backup` (Terraform's `terraform.tfstate.backup`): a file
 * spoilt by a hand edit can be put back without losing the secrets it holds (database passwords, the internal key).
 * Several processes write it (the control plane, a CLI running apply): each update holds the write lock,
 * re-reads the file if another process changed it, and only then applies its change, so none is lost.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acquireLock, acquireLockSync, type AcquireOptions, type Lock } from './lock.js';
import { CURRENT_STATE_VERSION, emptyState, upgradeState, type State } from './schema.js';

export class StateStore {
  readonly file: string;
  private cached: State | undefined;
  /**
   * The `writer` token of the file the cache came from. Every write puts a fresh token first in the file, so
   * reading its first bytes tells whether anyone wrote since (timestamps are too coarse, inodes get reused).
   */
  private token: string | undefined;

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, 'state.json');
  }

  /** The version the last write replaced. */
  get backupFile(): string {
    return `${this.file}.backup`;
  }

  /** The current state (upgraded to the current version in memory if the file is older). */
  read(): State {
    if (this.cached && this.token !== undefined && this.token === this.headToken()) return this.cached;
    return this.load();
  }

  /** Drops the in-memory copy so the next read sees another process's writes. */
  refresh(): State {
    this.cached = undefined;
    return this.read();
  }

  /** Applies `fn` to a copy of the latest state and writes the result atomically, under the write lock. */
  update(fn: (s: State) => void): State {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const lock = acquireLockSync(`${this.file}.lock`, `write ${this.file}`, 10_000);
    try {
      // Under the lock, the file is re-read unless its writer token is still ours (nobody wrote since).
      const next = structuredClone(this.read());
      fn(next);
      next.version = CURRENT_STATE_VERSION;
      next.serial = (next.serial ?? 0) + 1;
      this.write(next);
      return next;
    } finally {
      lock.release();
    }
  }

  /**
   * The apply lock: one plan+apply at a time per space. Waits up to `timeoutMs` for a running one, then
   * fails with a LockError naming its pid.
   */
  lockForApply(what: string, opts: AcquireOptions): Promise<Lock> {
    return acquireLock(join(this.stateDir, 'apply.lock'), what, opts);
  }

  /** The writer token at the head of the file (`{"writer": "...", ...`), read without parsing the rest. */
  private headToken(): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const buf = Buffer.alloc(128);
      const n = readSync(fd, buf, 0, 128, 0);
      return /^\{\s*"writer":\s*"([^"]+)"/.exec(buf.toString('utf8', 0, n))?.[1];
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private load(): State {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // Deleted by hand while its backup is here: a new, empty state would lose the secrets for good (its first
        // write used to replace the backup too), and the database's data would be locked behind lost passwords.
        if (existsSync(this.backupFile)) {
          throw new Error(
            `${this.file} is missing, but ${this.backupFile} is here: put it back with \`cp ${this.backupFile} ${this.file}\` ` +
              `(a new state would lose the space's database passwords and internal key); to start the space over on purpose, ` +
              `delete ${this.backupFile} too`,
          );
        }
        // Keep an unsaved empty state stable (same spaceId) until the first write.
        if (!this.cached || this.token !== undefined) this.cached = emptyState();
        this.token = undefined;
        return this.cached;
      }
      // Never "remove the file": it holds the only copy of the space's secrets and of what runs.
      throw new Error(
        `cannot read ${this.file}: ${(err as Error).message}. Fix the file, or put back the version before the last ` +
          `write with \`cp ${this.backupFile} ${this.file}\`; do not delete it: it holds the space's database ` +
          `passwords and the record of what runs`,
      );
    }
    const { writer, ...rest } = raw as Record<string, unknown>;
    this.cached = upgradeState(rest);
    this.token = typeof writer === 'string' ? writer : undefined;
    return this.cached;
  }

  private write(s: State): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const token = randomUUID();
    writeFileSync(tmp, JSON.stringify({ writer: token, ...s }, null, 2) + '\n', { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    this.keepBackup();
    renameSync(tmp, this.file);
    this.cached = s;
    this.token = token;
  }

  /**
   * Makes `state.json.backup` the current file (a hard link: no copy, and the path is never missing for a
   * reader, as a rename would leave it). Writers hold the write lock, so two never race here.
   */
  private keepBackup(): void {
    rmSync(this.backupFile, { force: true });
    try {
      linkSync(this.file, this.backupFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // the first write has nothing to keep
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
      copyFileSync(this.file, this.backupFile); // a file system without hard links
    }
  }
}
