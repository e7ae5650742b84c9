/** Process identity on Linux: a pid plus its start time, so a recorded pid is never confused with a reused one. */
import { readFileSync, readdirSync } from 'node:fs';

/** Start time of `pid` in clock ticks since boot (/proc/<pid>/stat field 22), or undefined when it is gone. */
export function readStartTicks(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: fields resume after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (rest[0] === 'Z' || rest[0] === 'X') return undefined; // a zombie has finished running
  const ticks = Number(rest[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** True when a process group with this id still has a member. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when a process group has a member that still runs. kill(-pgid, 0) also succeeds for a group whose members
 * have all exited but are not reaped yet (zombies): a leader whose parent died waits for init to reap it, which
 * here takes up to a second or more. Counting such a group as running made `destroy`, `down` and the CLI's
 * "still run" message name a gateway that had already stopped on its own. The /proc scan runs only in that case.
 */
export function groupRunning(pgid: number): boolean {
  if (!groupAlive(pgid)) return false;
  if (readStartTicks(pgid) !== undefined) return true; // the leader runs (not a zombie)
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    if (name.charCodeAt(0) > 57) continue; // not a pid
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') return true;
  }
  return false;
}

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when the recorded process (or its group) is still ours: the leader with the same start time, or a
 * group without its leader that still has a running member (Linux never reuses a pid while a process group still
 * carries it as its id); a group of zombies only is not.
 */
export function isStillOurs(rec: { pid: number; startTicks: number }): boolean {
  const ticks = readStartTicks(rec.pid);
  if (ticks === undefined) return groupRunning(rec.pid);
  return ticks === rec.startTicks;
}

/** True when this very process (same pid and start time) is still running, not a zombie. */
export function isRunning(rec: { pid: number; startTicks: number }): boolean {
  return readStartTicks(rec.pid) === rec.startTicks;
}

/** True while a process with this pid exists (any process: use isRunning to know it is the same one). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `pid` and every process descended from it that still runs, each with its start time (so a later signal skips a
 * reused pid). An attached one-off (`run`) is the CLI's child in the terminal's process group, not a group of its
 * own: `ps:stop` signals this tree, since a shell that is not the command itself (`sh -c 'a; b'`) dies of SIGTERM
 * and would leave its child running.
 */
export function processTree(pid: number): { pid: number; startTicks: number }[] {
  const children = new Map<number, number[]>();
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    // no /proc: the pid alone
  }
  for (const name of names) {
    if (name.charCodeAt(0) > 57) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: { pid: number; startTicks: number }[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    const ticks = readStartTicks(p);
    if (ticks !== undefined) out.push({ pid: p, startTicks: ticks });
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}
