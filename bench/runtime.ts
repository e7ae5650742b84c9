/**
 * Runtime figures, each beside its anchor in one run:
 *   - `spaceport ps` wall time against a running space (anchor: bare `node -e 0` startup; target < 150 ms).
 *   - `up -d` to all-up for a space of 10 trivial Node web dynos (anchor: the same 10 processes spawned
 *     directly until each binds its port; target < 2 s).
 *   - a dyno's crash to its replacement serving on the same PORT (target < 1 s).
 *   - control-plane RSS with 10 dynos logging 10,000 lines/s in total, and lines dropped.
 * Run: node --import tsx bench/runtime.ts [--runs 20] [--flood-seconds 10]. Needs `npm run build` (the CLI and
 * the control plane run from dist/, as in production).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '20' }, 'flood-seconds': { type: 'string', default: '10' } } });
const RUNS = Number(args.runs);
const FLOOD_S = Number(args['flood-seconds']);
const root = new URL('..', import.meta.url).pathname;
const BIN = join(root, 'packages', 'spaceport', 'bin', 'spaceport.js');
const spaces: string[] = [];

const WEB = `import { createServer } from 'node:http';
const s = createServer((req, res) => { if (req.url === '/crash') process.exit(1); res.end('ok'); });
s.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));`;
const LOGGER = `import { createServer } from 'node:http';
createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
const perSec = Number(process.env.LINES_PER_SEC); let n = 0;
setInterval(() => { for (let i = 0; i < perSec / 100; i++) console.log('line ' + (n++) + ' ' + 'x'.repeat(80)); }, 10);
process.on('SIGTERM', () => process.exit(0));`;

function space(name: string, yaml: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `sp-bench-${name}-`));
  spaces.push(dir);
  writeFileSync(join(dir, 'spaceport.yaml'), yaml);
  mkdirSync(join(dir, 'app'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, 'app', f), text);
  return dir;
}

function cli(dir: string, ...a: string[]): { ms: number; code: number; out: string; err: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...a], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { ms: performance.now() - t0, code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return { median: q(0.5), p90: q(0.9), min: q(0), runs: s.length };
};
function canConnect(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => (s.destroy(), r(false)));
  });
}
type Dyno = { dyno: string; port: number; pid: number; state: string; restarts: number };
const ps = (dir: string) => JSON.parse(cli(dir, 'ps', '--json').out) as Dyno[];

async function main(): Promise<void> {
  const out: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version, loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10) } };

  // 1+2: up -d of 10 web dynos, then ps
  const ten = space('ten', `name: ten\napps:\n  app:\n    processes: { web: node web.mjs }\n    scale: { web: 10 }\n`, { 'web.mjs': WEB });
  const upTimes: number[] = [];
  const phases: { cli_to_control_plane: number; platform_services: number; dynos_to_all_up: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    const up = cli(ten, 'up', '-d');
    if (up.code !== 0) throw new Error(`up -d failed: ${up.err}`);
    upTimes.push(up.ms);
    phases.push(breakdown(ten, t0));
    if (ps(ten).filter((d) => d.state === 'up').length !== 10) throw new Error('not all 10 dynos up');
    if (i < 2) cli(ten, 'down');
  }
  const direct: number[] = [];
  for (let i = 0; i < 3; i++) direct.push(await spawnDirect(join(ten, 'app'), 10));
  out.up_detached_10_dynos_ms = { spaceport: stats(upTimes), anchor_direct_spawn_until_bound: stats(direct), target_ms: 2000, phases_of_last_run: phases.at(-1) };

  const psTimes: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    psTimes.push(cli(ten, 'ps').ms);
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t0);
  }
  out.ps_wall_ms = { spaceport_ps: stats(psTimes), anchor_node_e_0: stats(bare), target_ms: 150 };

  // 3: crash → replacement serving on the same PORT
  const crash: number[] = [];
  for (let i = 0; i < 5; i++) {
    const d = ps(ten).find((x) => x.dyno === 'web.1')!;
    await sleep(i === 0 ? 0 : 1200); // let back-off settle between crashes... first restart is immediate only once
    const t0 = performance.now();
    await fetch(`http://127.0.0.1:${d.port}/crash`).catch(() => undefined);
    while (!(await canConnect(d.port)) || !(await fetch(`http://127.0.0.1:${d.port}/`).then((r) => r.ok, () => false))) await sleep(5);
    crash.push(performance.now() - t0);
    cli(ten, 'restart', 'web.1', '-a', 'app'); // a fresh instance: back-off starts over (first restart immediate)
  }
  out.crash_to_serving_ms = { spaceport: stats(crash), target_ms: 1000 };
  cli(ten, 'down');

  // 4: RSS under a log flood
  const flood = space('flood', `name: flood\napps:\n  app:\n    env: { LINES_PER_SEC: "1000" }\n    processes: { web: node logger.mjs }\n    scale: { web: 10 }\n`, { 'logger.mjs': LOGGER });
  const up = cli(flood, 'up', '-d');
  if (up.code !== 0) throw new Error(`flood up failed: ${up.err}`);
  const status = () => JSON.parse(cli(flood, 'status', '--json').out) as { pid: number; logs: { dropped: number; buffered: number } };
  const pid = status().pid;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  const idle = rss();
  let peak = 0;
  const cpu0 = cpuSeconds(pid);
  for (let s = 0; s < FLOOD_S * 4; s++) {
    await sleep(250);
    peak = Math.max(peak, rss());
  }
  const cpu = (cpuSeconds(pid) - cpu0) / FLOOD_S;
  const st = status();
  // Every line the control plane wrote (the file rotates once past 10 MiB into space.log.1).
  const logDir = join(flood, '.spaceport', 'logs');
  const count = (f: string) => (existsSync(join(logDir, f)) ? readFileSync(join(logDir, f), 'utf8').split('\n').filter((l) => l.includes(']: line ')).length : 0);
  const fileLines = count('space.log') + count('space.log.1');
  out.log_flood_10_dynos_10000_lines_per_s = {
    seconds: FLOOD_S,
    control_plane_rss_mb: { at_start: Math.round(idle), peak: Math.round(peak) },
    control_plane_cpu_share: Math.round(cpu * 100) / 100,
    lines_dropped: st.logs.dropped,
    lines_in_ring: st.logs.buffered,
    dyno_lines_in_files: fileLines,
  };
  cli(flood, 'down');
  console.log(JSON.stringify(out, null, 2));
}

/** The anchor: n processes spawned directly, until each accepts TCP on its port. */
async function spawnDirect(cwd: string, n: number): Promise<number> {
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const t0 = performance.now();
  const kids = ports.map((p) => spawn(process.execPath, ['web.mjs'], { cwd, env: { ...process.env, PORT: String(p) }, stdio: 'ignore' }));
  await Promise.all(ports.map(async (p) => { while (!(await canConnect(p))) await sleep(5); }));
  const ms = performance.now() - t0;
  for (const k of kids) k.kill('SIGKILL');
  return ms;
}

/** Where the time of one `up -d` went, from the log's timestamps (the last start in the file). */
function breakdown(dir: string, cliStart: number): { cli_to_control_plane: number; platform_services: number; dynos_to_all_up: number } {
  const lines = readFileSync(join(dir, '.spaceport', 'logs', 'space.log'), 'utf8').split('\n');
  const at = (l: string) => Date.parse(l.slice(0, l.indexOf(' ')));
  const startIdx = lines.map((l, i) => (l.includes('spaceport[control-plane]: Control plane of space') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const run = lines.slice(startIdx);
  const cp = at(run[0]!);
  const firstDyno = at(run.find((l) => /spaceport\[app\.web\.\d+\]: Starting process/.test(l))!);
  const ups = run.filter((l) => /spaceport\[app\.web\.\d+\]: State changed from starting to up/.test(l)).map(at);
  return { cli_to_control_plane: cp - cliStart, platform_services: firstDyno - cp, dynos_to_all_up: Math.max(...ups) - firstDyno };
}

function freePort(): Promise<number> {
  return new Promise((r) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => r(port));
    });
  });
}

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const d of spaces) {
      cli(d, 'down');
      rmSync(d, { recursive: true, force: true });
    }
  });
