/**
 * A server left running by a control plane that was killed holds `postmaster.pid`, and a new server refuses
 * to start beside it. Before starting, the one named in the lock file is dealt with: waited for while it is a
 * zombie (not yet reaped), shut down fast (SIGINT, then SIGKILL after a grace) when it is our server on this
 * data directory, and its lock file removed when the pid now belongs to another program.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterPaths } from './cluster.js';

const GRACE_MS = 10_000;

export async function stopLeftoverServer(paths: ClusterPaths, say: (message: string) => void): Promise<void> {
  const lockFile = join(paths.data, 'postmaster.pid');
  const start = Date.now();
  let signalled: 'SIGINT' | 'SIGKILL' | undefined;
  for (;;) {
    let pid: number;
    try {
      pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
    } catch {
      return; // no lock file
    }
    const proc = inspect(pid);
    if (!proc) return; // gone: the server treats the lock file as stale itself
    if (proc.state !== 'Z') {
      if (!proc.cmdline.includes('postgres') || !proc.cmdline.includes(paths.data)) {
        say(`Removing a stale postmaster.pid (pid ${pid} is now another program)`);
        rmSync(lockFile, { force: true });
        return;
      }
      const waited = Date.now() - start;
      if (!signalled) {
        say(`A server left running by an earlier control plane holds ${paths.data} (pid ${pid}): shutting it down`);
        kill(pid, (signalled = 'SIGINT'));
      } else if (signalled === 'SIGINT' && waited > GRACE_MS) {
        kill(pid, (signalled = 'SIGKILL'));
      }
    } else if (Date.now() - start > GRACE_MS) {
      // A zombie holds nothing but its pid; the lock file is all that stops the new server.
      rmSync(lockFile, { force: true });
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function inspect(pid: number): { state: string; cmdline: string } | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      // a zombie has none
    }
    return { state, cmdline };
  } catch {
    return undefined;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
