/**
 * What bench/gateway.ts reads from /proc about the processes under test: CPU time (user and system apart),
 * context switches and minor page faults, per process group (a proxy with its workers, the backend) or process.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (ms) used so far by every process in a process group (utime + stime from /proc). */
export function groupCpuMs(pgid: number): number {
  const [u, s] = groupUserSysMs(pgid);
  return u + s;
}

/** User and system CPU time (ms) of a process group, apart: syscalls (socket I/O) are system time. */
export function groupUserSysMs(pgid: number): [number, number] {
  let user = 0;
  let sys = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[2]) === pgid) {
        user += Number(f[11]);
        sys += Number(f[12]);
      }
    } catch {
      /* exited */
    }
  }
  return [user * 10, sys * 10];
}

/** Minor page faults of every process in a process group so far (a V8 heap that maps fresh pages pays them in system time). */
export function groupMinorFaults(pgid: number): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[2]) === pgid) n += Number(f[7]);
    } catch {
      /* exited */
    }
  }
  return n;
}

/** Voluntary and involuntary context switches of one process's threads so far (from /proc/PID/task/TID/status). */
export function ctxSwitches(pid: number): [number, number] {
  let vol = 0;
  let invol = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const st = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      vol += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)?.[1] ?? 0);
      invol += Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(st)?.[1] ?? 0);
    }
  } catch {
    /* exited */
  }
  return [vol, invol];
}

/** Context switches of every process in a process group. */
export function groupCtxSwitches(pgid: number): [number, number] {
  let vol = 0;
  let invol = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(f[2]) !== pgid) continue;
    } catch {
      continue;
    }
    const [v, i] = ctxSwitches(Number(pid));
    vol += v;
    invol += i;
  }
  return [vol, invol];
}

/** CPU time (ms) of one process (utime + stime). */
export function pidCpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}
