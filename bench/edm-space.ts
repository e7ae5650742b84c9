/**
 * The space bench/edm.ts runs: a fresh copy of examples/edm with the run's A/B edits (gateway workers, config vars,
 * dyno counts, CPU-profiled apps), the CLI on it, its recorded processes, and a teardown that leaves nothing running.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { edmMain, ROOT, runCli, writeEdmSpace } from '../e2e/edm-support.js';

export interface BenchEdits {
  workers?: string;
  /** `<app>:<NAME>=<value>` each. */
  env?: string[];
  /** `<app>:<process type>=<count>` each. */
  scale?: string[];
  /** Apps whose web process runs under --cpu-prof, comma-separated. */
  profile?: string;
}

export interface BenchSpace {
  dir: string;
  cli: (args: string[], ms?: number) => ReturnType<typeof runCli>;
  /** The space's recorded process groups (state.json). */
  state: () => { processes: Record<string, { pid: number }>; controlPlane?: { pid: number } };
  /** `down`, then SIGKILL of any recorded group still there, then the directory. */
  cleanup: () => Promise<void>;
}

export function benchSpace(edits: BenchEdits): BenchSpace {
  const dir = writeEdmSpace({
    keepBuilds: true,
    edit: (c) => {
      if (edits.workers) c.gateway.workers = Number(edits.workers);
      for (const spec of edits.env ?? []) {
        const m = /^([\w-]+):([A-Za-z_]\w*)=(.*)$/.exec(spec);
        if (!m || !c.apps[m[1]!]) throw new Error(`--env ${spec}: write <app>:<NAME>=<value> for one of ${Object.keys(c.apps).join(', ')}`);
        c.apps[m[1]!]!.env = { ...c.apps[m[1]!]!.env, [m[2]!]: m[3]! };
      }
      for (const spec of edits.scale ?? []) {
        const m = /^([\w-]+):(\w+)=(\d+)$/.exec(spec);
        if (!m || !c.apps[m[1]!]) throw new Error(`--scale ${spec}: write <app>:<process type>=<count> for one of ${Object.keys(c.apps).join(', ')}`);
        c.apps[m[1]!]!.scale = { ...c.apps[m[1]!]!.scale, [m[2]!]: Number(m[3]) };
      }
      for (const app of edits.profile ? edits.profile.split(',') : []) {
        // --cpu-prof is not allowed in NODE_OPTIONS: the web process's command carries it.
        c.apps[app]!.processes = { web: `node --cpu-prof --cpu-prof-dir=${join(ROOT, 'bench', 'results', `edm-profile-${app}`)} ${edmMain(app)}` };
      }
    },
  });
  const cli = (args: string[], ms = 300_000) => runCli(dir, args, ms);
  const state = () => JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as ReturnType<BenchSpace['state']>;
  const cleanup = async () => {
    await cli(['down'], 60_000).catch(() => undefined);
    try {
      const s = state();
      for (const r of [...Object.values(s.processes), ...(s.controlPlane ? [s.controlPlane] : [])]) {
        try {
          process.kill(-r.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    } catch {
      /* no state */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, cli, state, cleanup };
}
