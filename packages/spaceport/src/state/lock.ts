/**
 * Locks on the state directory, as lock files created with O_EXCL that name their holder (pid, start time,
 * what it does). A holder that died leaves a stale file, which the next taker removes: a lock is only
 * honoured while its process lives. Two kinds:
 *  - the apply lock (`apply.lock`): held for a whole plan+apply, so a second apply waits or fails naming the holder;
 *  - the write lock (`state.json.lock`): held for the microseconds of one read-modify-write of state.json,
 *    so the control plane and a CLI process never lose each other's updates.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LockHolder {
  pid: number;
  /** /proc start time of the holder, to tell a reused pid from the holder. */
  startTicks?: number;
  /** What the holder does: `spaceport apply`. */
  what: string;
  since: string;
}

export class LockError extends Error {
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
    this.name = 'LockError';
  }
}

export interface Lock {
  readonly file: string;
  release(): void;
}

function startTicksOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const n = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `h` still runs (same pid and, where known, same start time). */
export function holderAlive(h: LockHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.startTicks === undefined) return true;
  const now = startTicksOf(h.pid);
  return now === undefined || now === h.startTicks;
}

/** The holder recorded in a lock file, or undefined when there is none (or it is unreadable). */
export function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

const held = new Set<string>();
process.once('exit', () => {
  for (const f of held) {
    try {
      unlinkSync(f);
    } catch {
      /* already gone */
    }
  }
});

/** One attempt: takes the lock, or returns the live holder. Removes a stale lock and retries once. */
export function tryLock(file: string, what: string): Lock | LockHolder {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const me: LockHolder = { pid: process.pid, startTicks: startTicksOf(process.pid), what, since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(file);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          held.delete(file);
          try {
            unlinkSync(file);
          } catch {
            /* removed as stale by someone else: nothing to do */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = ageOf(file);
    if (age === undefined) continue; // released meanwhile: try again
    const holder = readHolder(file);
    // A file without a holder is being written this instant, unless it is old: its writer died in between.
    if (!holder && age < 2000) return { pid: 0, what: 'unknown', since: '' };
    if (holder && holderAlive(holder)) return holder;
    try {
      unlinkSync(file);
    } catch {
      /* another waiter removed it first */
    }
  }
  return readHolder(file) ?? { pid: 0, what: 'unknown', since: '' };
}

/** Milliseconds since the lock file was written, or undefined when there is none. */
function ageOf(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function isLock(x: Lock | LockHolder): x is Lock {
  return typeof (x as Lock).release === 'function';
}

export interface AcquireOptions {
  /** How long to wait for the holder to finish: 0 fails at once. */
  timeoutMs: number;
  /** Called once when we start waiting. */
  onWait?(holder: LockHolder): void;
}

/** Takes the lock, waiting up to `timeoutMs` for a live holder; fails with a message naming it. */
export async function acquireLock(file: string, what: string, opts: AcquireOptions): Promise<Lock> {
  const deadline = Date.now() + opts.timeoutMs;
  let told = false;
  for (;;) {
    const r = tryLock(file, what);
    if (isLock(r)) return r;
    if (Date.now() >= deadline) {
      const who = r.pid ? `pid ${r.pid} (${r.what}, since ${r.since})` : 'another process';
      throw new LockError(
        `the state is locked by ${who}; wait for it to finish${opts.timeoutMs ? '' : ', or pass --lock-timeout 60s to wait for it'}`,
        r.pid ? r : undefined,
      );
    }
    if (!told && r.pid) {
      told = true;
      opts.onWait?.(r);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Synchronous variant for the short write lock: spins with 1 ms sleeps, up to `timeoutMs`. */
export function acquireLockSync(file: string, what: string, timeoutMs: number): Lock {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = tryLock(file, what);
    if (isLock(r)) return r;
    if (Date.now() >= deadline) {
      throw new LockError(`state.json is being written by pid ${r.pid} (${r.what}) for more than ${timeoutMs} ms; if that process hangs, stop it`, r);
    }
    Atomics.wait(sleeper, 0, 0, 1);
  }
}
