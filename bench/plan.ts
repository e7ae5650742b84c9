/**
 * Plan and no-op apply time for a space of 200 apps and 5,000 routes (target: plan under 1 s).
 *
 * What runs for real: loading and validating the generated spaceport.yaml, every provider's `desired`
 * (including hashing each app's source on disk), the reconciler's diff, rendering, and a no-op apply that
 * reads and checks state.json (5,000+ records) and writes nothing. What does not: the platform. Live values
 * come from memory (what the platform would answer, equal to the file, or with 1% drift), so the figures are
 * the plan core, without the HTTP round trips to the control and admin APIs.
 * Cold plan: the first `spaceport plan` after an edit of the file (the config cache removed first), which
 * parses and validates the whole file. BENCH_CLI_B=<path of another build's bin/spaceport.js> adds the same
 * cold plan with that build, interleaved round by round (a before/after in one run).
 * Run: node --import tsx bench/plan.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceOrThrow } from '../packages/spaceport/src/config/load.js';
import { makePlan, visibleChanges } from '../packages/spaceport/src/plan/plan.js';
import { applyPlan } from '../packages/spaceport/src/plan/apply.js';
import { renderPlan } from '../packages/spaceport/src/plan/render.js';
import { spaceProviders } from '../packages/spaceport/src/plan/providers/index.js';
import type { AnyProvider } from '../packages/spaceport/src/plan/types.js';
import type { Space } from '../packages/spaceport/src/config/load.js';
import { StateStore } from '../packages/spaceport/src/state/store.js';

const BIN = fileURLToPath(new URL('../packages/spaceport/bin/spaceport.js', import.meta.url));
const APPS = 200;
const ROUTES = 5000;
const dir = mkdtempSync(join(tmpdir(), 'spaceport-bench-plan-'));

function generate(): string {
  const lines = ['name: bench', 'apps:'];
  for (let i = 0; i < APPS; i++) {
    const root = join(dir, `app-${i}`);
    mkdirSync(root);
    writeFileSync(join(root, 'server.js'), `require('http').createServer((q, s) => s.end('${i}')).listen(process.env.PORT);\n`);
    writeFileSync(join(root, 'package.json'), `{"name":"app-${i}"}\n`);
    // No dynos run (scale 0): the figures are the lifecycle's, not 600 node processes'.
    lines.push(`  app-${i}:`, `    processes: { web: node server.js, worker: node worker.js }`, `    scale: { web: 0, worker: 0 }`, `    env: { MODE: production, N: "${i}", DB_PASSWORD: secret${i} }`);
  }
  lines.push('gateway:', '  listen: 127.0.0.1:0', '  workers: 1', '  services:');
  for (let i = 0; i < APPS; i++) {
    lines.push(`    svc-${i}:`, `      app: app-${i}`, `      routes:`);
    for (let r = 0; r < ROUTES / APPS; r++) lines.push(`        r-${r}: { paths: [/s${i}/r${r}], methods: [GET, POST] }`);
  }
  return lines.join('\n') + '\n';
}

const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, Math.round((performance.now() - t0) * 10) / 10];
};

async function main() {
  writeFileSync(join(dir, 'spaceport.yaml'), generate());
  const [space, loadMs] = await time(() => loadSpaceOrThrow(join(dir, 'spaceport.yaml')));
  const set = spaceProviders({ control: async () => ({}) as never, admin: async () => ({}) as never });
  // Live = what the file says (computed once, outside the timings), served from memory.
  const liveOf = new Map(set.providers.map((p) => [p.kind, p.desired(space)]));
  const withLive = (drift: number): AnyProvider<Space>[] =>
    set.providers.map((p) => {
      const q = Object.create(p) as AnyProvider<Space>;
      const live = new Map(liveOf.get(p.kind)!);
      if (drift && p.kind === 'formation') {
        let n = 0;
        for (const [a] of live) if (n++ % Math.round(1 / drift) === 0) live.set(a, { count: 5 });
      }
      q.read = async () => live;
      q.apply = async () => undefined;
      return q;
    });
  const store = new StateStore(join(dir, '.spaceport'));
  const providers = withLive(0);
  // First apply records every resource (the state after `up` + one apply).
  const first = await makePlan(providers, space, store.read().resources);
  await applyPlan(first, providers, store);
  const resources = Object.keys(store.read().resources).length;

  const runs: Record<string, number[]> = { stateRead: [], desired: [], plan: [], noopApply: [], planDrift: [], render: [] };
  for (let i = 0; i < Number(process.env.RUNS ?? 5); i++) {
    runs.desired!.push((await time(() => set.providers.forEach((p) => p.desired(space))))[1]);
    const fresh = new StateStore(join(dir, '.spaceport'));
    runs.stateRead!.push((await time(() => new StateStore(join(dir, '.spaceport')).read()))[1]);
    const [plan, planMs] = await time(() => makePlan(providers, space, fresh.read().resources));
    runs.plan!.push(planMs);
    if (visibleChanges(plan).length) throw new Error('a no-op plan has changes');
    const serial = fresh.read().serial;
    runs.noopApply!.push((await time(async () => applyPlan(await makePlan(providers, space, fresh.read().resources), providers, fresh)))[1]);
    if (fresh.refresh().serial !== serial) throw new Error('a no-op apply wrote state');
    const drifted = withLive(0.01);
    const [dplan, dms] = await time(() => makePlan(drifted, space, fresh.read().resources));
    runs.planDrift!.push(dms);
    runs.render!.push((await time(() => renderPlan(dplan)))[1]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const platform = realPlatform(median);
  const drifted = visibleChanges(await makePlan(withLive(0.01), space, store.read().resources)).length;
  console.log(
    JSON.stringify(
      {
        bench: 'plan',
        space: { apps: APPS, routes: ROUTES, resources, stateBytes: JSON.stringify(store.read()).length },
        anchor: { target: 'plan < 1000 ms', noopApplyTarget: 'no-op apply < 200 ms' },
        ms: {
          loadAndValidateConfig: loadMs,
          stateRead_median: median(runs.stateRead!),
          desiredAllProviders_median: median(runs.desired!),
          plan_median: median(runs.plan!),
          planPlusConfigLoad: Math.round((loadMs + median(runs.plan!)) * 10) / 10,
          noopApply_median_planIncluded: median(runs.noopApply!),
          planWith1pctDrift_median: median(runs.planDrift!),
          renderDriftPlan_median: median(runs.render!),
        },
        driftChanges: drifted,
        realPlatform: platform,
        runs,
        measured:
          'ms: in-process, config load+validate; plan = state read + desired (incl. source hashing of 200 app dirs) + diff against in-memory live values; no-op apply = plan + apply of 5k+ noops with state check (no write); no platform round trips. realPlatform: the compiled CLI against the same file running (up -d, scale 0: no dynos), wall and CPU of `spaceport plan` / `spaceport apply --auto-approve` with nothing to do.',
      },
      null,
      2,
    ),
  );
}

/**
 * The same file on a running space: `spaceport plan` and a no-op `spaceport apply --auto-approve` as a user
 * runs them (compiled CLI, control API and gateway admin API for real), wall and CPU time of the process.
 */
function realPlatform(median: (xs: number[]) => number): Record<string, unknown> {
  const cli = (args: string[], bin = BIN) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const wall = Math.round(performance.now() - t0);
    if (r.status !== 0) throw new Error(`spaceport ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
    return { wall, out: r.stdout };
  };
  const cpu = (args: string[]) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, BIN, ...args], { cwd: dir, encoding: 'utf8' });
    const [u, sy] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    return Math.round((u! + sy!) * 1000);
  };
  const t0 = performance.now();
  cli(['up', '-d']);
  const upMs = Math.round(performance.now() - t0);
  try {
    const plan: number[] = [];
    const apply: number[] = [];
    const cold = { wall: [] as number[], cpu: [] as number[] };
    const coldB = { wall: [] as number[], cpu: [] as number[] };
    const binB = process.env.BENCH_CLI_B;
    // The first plan after an edit of the file: nothing cached, the whole file parsed and validated.
    // CPU time (user + system) is kept beside the wall time: on a shared machine it is the steadier figure.
    const coldPlan = (bin: string, into: { wall: number[]; cpu: number[] }) => {
      rmSync(join(dir, '.spaceport', 'config-cache.json'), { force: true });
      const t0 = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'plan', '--detailed-exitcode'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      into.wall.push(Math.round(performance.now() - t0));
      if (r.status !== 0 || !/No changes/.test(r.stdout)) throw new Error(`cold plan (${bin}) exited ${r.status}: ${r.stdout.slice(0, 500)}${r.stderr}`);
      const [u, sy] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      into.cpu.push(Math.round((u! + sy!) * 1000));
    };
    for (let i = 0; i < Number(process.env.COLD_RUNS ?? 7); i++) {
      if (binB && i % 2) coldPlan(binB, coldB);
      coldPlan(BIN, cold);
      if (binB && !(i % 2)) coldPlan(binB, coldB);
    }
    for (let i = 0; i < 5; i++) {
      const p = cli(['plan', '--detailed-exitcode']);
      if (!/No changes/.test(p.out)) throw new Error(`plan after up shows changes: ${p.out.slice(0, 500)}`);
      plan.push(p.wall);
      apply.push(cli(['apply', '--auto-approve']).wall);
    }
    const node = (() => {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return Math.round(performance.now() - t);
    })();
    return {
      upMs,
      coldPlanWallMs_median: median(cold.wall),
      coldPlanCpuMs_median: median(cold.cpu),
      ...(binB ? { coldPlanWallMs_median_B: median(coldB.wall), coldPlanCpuMs_median_B: median(coldB.cpu), B: binB } : {}),
      planWallMs_median: median(plan),
      noopApplyWallMs_median: median(apply),
      planCpuMs: cpu(['plan']),
      noopApplyCpuMs: cpu(['apply', '--auto-approve']),
      nodeStartupWallMs: node,
      runs: { coldPlan: cold, ...(binB ? { coldPlanB: coldB } : {}), plan, apply },
      loadAverage: (spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout || '').trim(),
    };
  } finally {
    cli(['down']);
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
