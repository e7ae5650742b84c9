/**
 * The state file, `.spaceport/state.json`: what Spaceport created and runs, with secrets, so it is 0600.
 * Versioned (see upgrade.ts), written atomically (temp file + rename), and read whole: it is small.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CURRENT_STATE_VERSION, emptyState, upgradeState, type State } from './schema.js';

export class StateStore {
  readonly file: string;
  private cached: State | undefined;

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, 'state.json');
  }

  /** The current state (upgraded to the current version in memory if the file is older). */
  read(): State {
    if (this.cached) return this.cached;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.cached = emptyState());
      throw new Error(`cannot read ${this.file}: ${(err as Error).message}; fix or remove the file`);
    }
    this.cached = upgradeState(raw);
    return this.cached;
  }

  /** Drops the in-memory copy so the next read sees another process's writes. */
  refresh(): State {
    this.cached = undefined;
    return this.read();
  }

  /** Applies `fn` to a copy of the state and writes the result atomically. */
  update(fn: (s: State) => void): State {
    const next = structuredClone(this.read());
    fn(next);
    next.version = CURRENT_STATE_VERSION;
    next.serial = (next.serial ?? 0) + 1;
    this.write(next);
    return next;
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
  }
}
