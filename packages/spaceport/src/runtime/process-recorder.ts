/** Records the pids the supervisor started in state.processes, and reaps what a killed control plane left. */
import type { StateStore } from '../state/store.js';
import { groupAlive, isStillOurs, signalGroup } from './proc-stat.js';

export class ProcessRecorder {
  /** Changes not yet written: coalesced into one state write per event-loop turn (10 dynos spawn at once). */
  private pending: ({ add: true; name: string; pid: number; startTicks: number } | { add: false; name: string; pid: number })[] = [];
  /** Set while state.json cannot be written (a hand edit spoilt it): the records wait and are retried. */
  private retry: NodeJS.Timeout | undefined;

  /** `warn` gets one line when recording starts failing and one when it works again. */
  constructor(
    private readonly state?: StateStore,
    private readonly warn: (message: string) => void = () => {},
    private readonly retryMs = 5000,
  ) {}

  add(name: string, pid: number, startTicks: number): void {
    this.queue({ add: true, name, pid, startTicks });
  }

  /** Forgets `name` if it still records this pid (a newer instance under the same name is kept). */
  remove(name: string, pid: number): void {
    this.queue({ add: false, name, pid });
  }

  /**
   * Writes what is pending now (also called on its own at the end of the current turn). Never throws: a state
   * file that cannot be read must not take the control plane, and with it every dyno, down when one restarts;
   * the records are kept in order and written once the file is readable again.
   */
  flush(): void {
    const ops = this.pending;
    this.pending = [];
    if (!this.state || ops.length === 0) return;
    try {
      this.state.update((s) => {
        for (const op of ops) {
          if (op.add) s.processes[op.name] = { pid: op.pid, startTicks: op.startTicks, name: op.name };
          else if (s.processes[op.name]?.pid === op.pid) delete s.processes[op.name];
        }
      });
    } catch (err) {
      this.pending = [...ops, ...this.pending];
      if (!this.retry) this.warn(`Error: cannot record process ids in the state: ${(err as Error).message}. Retrying every ${this.retryMs / 1000} s`);
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.flush(), this.retryMs).unref();
      return;
    }
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = undefined;
      this.warn('The state is readable again: process ids recorded');
    }
  }

  private queue(op: ProcessRecorder['pending'][number]): void {
    if (!this.state) return;
    if (this.pending.length === 0 && !this.retry) setImmediate(() => this.flush());
    this.pending.push(op);
  }
}

/**
 * SIGKILLs every recorded process group that is still ours (same start time, or a group whose leader is
 * gone and a member still runs: a group that exited on its own and waits for init is not counted), waits until
 * those groups are gone, reaped included (up to `waitMs`: a dying process may still hold a port, or a pid a lock
 * file names, that the next start needs), then clears the records. Returns the names of what it killed, as `ps`
 * and the CLI's "still run" line name them (`app:api:web.1`): the `#N` that keeps each instance's record apart
 * in state is left out.
 */
export async function reapLeftovers(state: StateStore, waitMs = 5000): Promise<string[]> {
  const s = state.refresh();
  const killed: { name: string; pid: number }[] = [];
  for (const rec of Object.values(s.processes)) {
    if (isStillOurs(rec) && signalGroup(rec.pid, 'SIGKILL')) killed.push({ name: rec.name, pid: rec.pid });
  }
  const deadline = Date.now() + waitMs;
  while (killed.some((k) => groupAlive(k.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (Object.keys(s.processes).length > 0) {
    state.update((st) => {
      st.processes = {};
    });
  }
  return killed.map((k) => displayName(k.name));
}

/** A recorded process's name without its instance suffix: `app:api:web.1#3` → `app:api:web.1`. */
export function displayName(recorded: string): string {
  return recorded.replace(/#\d+$/, '');
}

/** Heroku's exit status: the code, or 128 + the signal number when a signal ended the process. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const nums: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (signal ? (nums[signal] ?? 0) : 0);
}
