/**
 * The state file, `.spaceport/state.json`: what Spaceport created and runs, with secrets, so it is 0600.
 * Versioned (see schema.ts), written atomically (temp file + rename), and read whole: it is small.
 * Several processes write it (the control plane, a CLI running apply): each update holds the write lock,
 * re-reads the file if another process changed it, and only then applies its change, so none is lost.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acquireLock, acquireLockSync, type AcquireOptions, type Lock } from './lock.js';
import { CURRENT_STATE_VERSION, emptyState, upgradeState, type State } from './schema.js';

export class StateStore {
  readonly file: string;
  private cached: State | undefined;
  /** Identity of the file the cache came from (inode, size, mtime): another process's write changes it. */
  private stamp = '';

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, 'state.json');
  }

  /** The current state (upgraded to the current version in memory if the file is older). */
  read(): State {
    if (this.cached && this.stamp === this.stampNow()) return this.cached;
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
      // Always re-read under the lock: file timestamps are coarse (a few ms) and inodes get reused, so a
      // stat can look unchanged after another process's write; parsing the file cannot.
      const next = structuredClone(this.load());
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

  private stampNow(): string {
    try {
      const st = statSync(this.file);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return 'absent';
    }
  }

  private load(): State {
    const stamp = this.stampNow();
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // Keep an unsaved empty state stable (same spaceId) until the first write.
        if (!this.cached || this.stamp !== 'absent') this.cached = emptyState();
        this.stamp = 'absent';
        return this.cached;
      }
      throw new Error(`cannot read ${this.file}: ${(err as Error).message}; fix or remove the file`);
    }
    this.cached = upgradeState(raw);
    this.stamp = stamp;
    return this.cached;
  }

  private write(s: State): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.cached = s;
    this.stamp = this.stampNow();
  }
}
