/** Records the pids the supervisor started in state.processes, and reaps what a killed control plane left. */
import type { StateStore } from '../state/store.js';
import { groupAlive, isStillOurs, signalGroup } from './proc-stat.js';

export class ProcessRecorder {
  /** Changes not yet written: coalesced into one state write per event-loop turn (10 dynos spawn at once). */
  private pending: ({ add: true; name: string; pid: number; startTicks: number } | { add: false; name: string; pid: number })[] = [];

  constructor(private readonly state?: StateStore) {}

  add(name: string, pid: number, startTicks: number): void {
    this.queue({ add: true, name, pid, startTicks });
  }

  /** Forgets `name` if it still records this pid (a newer instance under the same name is kept). */
  remove(name: string, pid: number): void {
    this.queue({ add: false, name, pid });
  }

  /** Writes what is pending now (also called on its own at the end of the current turn). */
  flush(): void {
    const ops = this.pending;
    this.pending = [];
    if (!this.state || ops.length === 0) return;
    this.state.update((s) => {
      for (const op of ops) {
        if (op.add) s.processes[op.name] = { pid: op.pid, startTicks: op.startTicks, name: op.name };
        else if (s.processes[op.name]?.pid === op.pid) delete s.processes[op.name];
      }
    });
  }

  private queue(op: ProcessRecorder['pending'][number]): void {
    if (!this.state) return;
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(op);
  }
}

/**
 * SIGKILLs every recorded process group that is still ours (same start time, or a group whose leader is
 * gone), waits until those groups are gone (up to `waitMs`: a dying process may still hold a port or a lock
 * file the next start needs), then clears the records. Returns the names of what it killed.
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
  return killed.map((k) => k.name);
}

/** Heroku's exit status: the code, or 128 + the signal number when a signal ended the process. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const nums: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (signal ? (nums[signal] ?? 0) : 0);
}
