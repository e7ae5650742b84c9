/**
 * bench/edm's accounting from outside the space: CPU ticks and RSS of process trees from /proc, and what the
 * space's log says about the load (router error codes, the relay's failed produces, the apps' runtime lines).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc's CPU times (USER_HZ). */
export const CLK_TCK = 100;

interface Proc {
  ppid: number;
  ticks: number;
  rss: number;
}

/** Every process now: parent, CPU ticks (user + system) and RSS, from /proc/<pid>/stat. */
function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rss: Number(f[21]) * 4096 });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

export interface Usage {
  ticks: number;
  rss: number;
  count: number;
}

/**
 * CPU ticks and RSS of a process and its descendants (Postgres backends, gateway workers and chromium's helpers
 * included), not descending into `stopAt` (other processes reported on their own, such as the control plane's dynos).
 */
export function treeUsage(root: number, stopAt: ReadonlySet<number>): Usage {
  const u: Usage = { ticks: 0, rss: 0, count: 0 };
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(pid);
    else children.set(p.ppid, [pid]);
  }
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const p = procs.get(pid);
    if (!p || (pid !== root && stopAt.has(pid))) continue;
    u.ticks += p.ticks;
    u.rss += p.rss;
    u.count++;
    stack.push(...(children.get(pid) ?? []));
  }
  return u;
}

/** CPU ticks of chromium's processes by kind (`--type=renderer`, `gpu-process`, ...; the browser process has none). */
export function chromiumTicks(root: number): Map<string, number> {
  const out = new Map<string, number>();
  const procs = readProcs();
  for (const [pid, proc] of procs) {
    let p = pid;
    while (p > 1 && p !== root) p = procs.get(p)?.ppid ?? 0;
    if (p !== root) continue;
    let kind = 'browser';
    try {
      kind = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    } catch {
      /* gone */
    }
    out.set(kind, (out.get(kind) ?? 0) + proc.ticks);
  }
  return out;
}

/** chromium's browser process: the one whose command line names `profile` and whose parent's does not (0: none). */
export function browserPid(profile: string): number {
  const named = new Map<number, number>();
  for (const [pid, p] of readProcs()) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) named.set(pid, p.ppid);
    } catch {
      /* gone */
    }
  }
  for (const [pid, ppid] of named) if (!named.has(ppid)) return pid;
  return 0;
}

/** The space's log lines, the rotated file first. */
function spaceLogLines(dir: string): string[] {
  const lines: string[] = [];
  for (const name of ['space.log.1', 'space.log']) {
    try {
      lines.push(...readFileSync(join(dir, '.spaceport', 'logs', name), 'utf8').split('\n'));
    } catch {
      // not written (yet), or not rotated
    }
  }
  return lines;
}

/** Router error codes (H10, H19, ...) and the relay's failed produces in the space's log during the load. */
export function errorLog(dir: string, from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of spaceLogLines(dir)) {
    const at = line.indexOf('produce failed:');
    const code = / code=(H\d+)/.exec(line)?.[1] ?? (at >= 0 ? `relay: ${line.slice(at, at + 90)}` : undefined);
    if (!code) continue;
    const t = Date.parse(line.slice(0, line.indexOf(' ')));
    if (t < from || t > to + 60_000) continue;
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}

/**
 * The relay's and the stream's `runtime:` log lines (event-loop delay, GC) logged during the load, per dyno: the
 * worst loop-delay p99 and max of any 10 s interval, and GC pauses summed over the intervals.
 */
export interface RuntimeSummary {
  intervals: number;
  loop_p99_ms_worst: number;
  loop_max_ms: number;
  gc_ms: number;
  gc_max_ms: number;
  mark_compact_ms: number;
  /** The relay only: connections the gateway opened to it during the load, and the most open at once. */
  connections_opened?: number;
  connections_open_max?: number;
}

export function runtimeLog(dir: string, from: number, to: number): Record<string, RuntimeSummary> {
  const out: Record<string, RuntimeSummary> = {};
  const re = /^(\S+) app\[([^\]]+)\]: runtime: loop delay p50 [\d.]+ p99 ([\d.]+) max ([\d.]+) ms; gc \d+ pauses, ([\d.]+) ms, max ([\d.]+) ms, mark-compact ([\d.]+) ms(?:; connections opened (\d+), open (\d+))?/;
  for (const line of spaceLogLines(dir)) {
    if (!line.includes('runtime: loop')) continue;
    const m = re.exec(line);
    if (!m) continue;
    // A line covers the 10 s before it: keep those that end within the load (plus one interval).
    const t = Date.parse(m[1]!);
    if (t < from + 5_000 || t > to + 10_000) continue;
    const o = (out[m[2]!] ??= { intervals: 0, loop_p99_ms_worst: 0, loop_max_ms: 0, gc_ms: 0, gc_max_ms: 0, mark_compact_ms: 0 });
    o.intervals++;
    o.loop_p99_ms_worst = Math.max(o.loop_p99_ms_worst, Number(m[3]));
    o.loop_max_ms = Math.max(o.loop_max_ms, Number(m[4]));
    o.gc_ms = Math.round((o.gc_ms + Number(m[5])) * 10) / 10;
    o.gc_max_ms = Math.max(o.gc_max_ms, Number(m[6]));
    o.mark_compact_ms = Math.round((o.mark_compact_ms + Number(m[7])) * 10) / 10;
    if (m[8] !== undefined) {
      o.connections_opened = (o.connections_opened ?? 0) + Number(m[8]);
      o.connections_open_max = Math.max(o.connections_open_max ?? 0, Number(m[9]));
    }
  }
  return out;
}
