/** Records the pids the supervisor started in state.processes, and reaps what a killed control plane left. */
import type { StateStore } from '../state/store.js';
import { isStillOurs, signalGroup } from './proc-stat.js';

export class ProcessRecorder {
  constructor(private readonly state?: StateStore) {}

  add(name: string, pid: number, startTicks: number): void {
    this.state?.update((s) => {
      s.processes[name] = { pid, startTicks, name };
    });
  }

  remove(name: string, pid: number): void {
    if (!this.state) return;
    if (this.state.read().processes[name]?.pid !== pid) return;
    this.state.update((s) => {
      delete s.processes[name];
    });
  }
}

/**
 * SIGKILLs every recorded process group that is still ours (same start time, or a group whose leader is
 * gone), then clears the records. Returns the names of what it killed.
 */
export function reapLeftovers(state: StateStore): string[] {
  const s = state.refresh();
  const killed: string[] = [];
  for (const rec of Object.values(s.processes)) {
    if (isStillOurs(rec) && signalGroup(rec.pid, 'SIGKILL')) killed.push(rec.name);
  }
  if (Object.keys(s.processes).length > 0) {
    state.update((st) => {
      st.processes = {};
    });
  }
  return killed;
}

/** Heroku's exit status: the code, or 128 + the signal number when a signal ended the process. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const nums: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (signal ? (nums[signal] ?? 0) : 0);
}
