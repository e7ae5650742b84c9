/**
 * Gateway benchmark, side by side in one run: a plain Node backend direct, Debian nginx as a keep-alive
 * reverse proxy, and our gateway (key-auth + rate-limiting + router logging) with workers=1 and 2.
 * The backend and the proxy under test share one pinned core (taskset -c 0); wrk runs on core 1.
 * Also measured: a raw Node TCP splice (no HTTP work at all), the upper bound of any Node proxy here; the least
 * JavaScript doing the gateway's visible work for this one request (node_minimal_http_proxy); and, for
 * reference, nginx adding the same router headers as the gateway (nginx_router_headers; the target is vs plain nginx).
 * CPU per request (from /proc) is reported for the backend and each proxy: on a shared machine wall-clock
 * req/s swing with other load, CPU per request much less.
 * Run: node --import tsx bench/gateway.ts [--duration 10] [--connections 50] [--rounds 2] [--warmup 2]. Prints JSON.
 * Rounds are interleaved (every target once per round); medians over rounds are the figures, best rounds
 * are listed too. Options for A/B work on the gateway itself:
 *   --baseline <dist dir>   also measures that build's gateway (e.g. a copy of packages/spaceport/dist
 *                           made before a change; give it a node_modules beside it) as `baseline_workers_1`;
 *                           several, comma-separated: baseline2_workers_1, ...
 *   --only a,b,...          measures only these targets (names as in the output; `direct` too)
 *   --warmup <s>            wrk seconds before each measured run (default 2; 0 for none): with many short
 *                           rounds of an A/B, a shorter warm-up leaves more rounds in the same time
 *   --gateway-node-args "…" extra node flags for the gateway processes (e.g. --cpu-prof --cpu-prof-dir=…)
 *   --baseline-node-args "…" the same for --baseline builds (default: --gateway-node-args)
 */
import { execFile, execFileSync, fork } from 'node:child_process';
import { promisify } from 'node:util';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { GatewayRuntimeConfig } from '../packages/spaceport/src/gateway/entities.js';
import type { FromGateway } from '../packages/spaceport/src/gateway/ipc.js';
import { backend, dir, freePort, kill, minimalProxy, nginx, nodePipe, procs, PROXY_CORE } from './gateway-targets.js';
import { ctxSwitches, groupCpuMs, groupCtxSwitches, groupMinorFaults, groupUserSysMs, pidCpuMs } from './gateway-proc.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 50);
const ROUNDS = arg('rounds', 2);
const WARMUP = arg('warmup', 2);
const strArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const BASELINE = strArg('baseline');
const ONLY = strArg('only')?.split(',');
const GATEWAY_NODE_ARGS = strArg('gateway-node-args')?.split(' ').filter(Boolean) ?? [];
/** Node flags for --baseline builds (default: the same as --gateway-node-args). */
const BASELINE_NODE_ARGS = strArg('baseline-node-args')?.split(' ').filter(Boolean);
/** IPC serialization of the gateway's channel to its parent (the control plane's Supervisor uses 'advanced'). */
const GATEWAY_SERIALIZATION = (strArg('gateway-serialization') ?? 'advanced') as 'json' | 'advanced';
/** The same for --baseline builds (builds before session 4 ran under a JSON channel). */
const BASELINE_SERIALIZATION = (strArg('baseline-serialization') ?? 'json') as 'json' | 'advanced';
const LOAD_CORE = '1';
const root = fileURLToPath(new URL('..', import.meta.url));
interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
}

function toMs(v: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(v)!;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

// Async, so the driver keeps reading router log batches while wrk runs (as the control plane would).
async function wrk(port: number, headers: Record<string, string> = {}, seconds = DURATION): Promise<WrkResult> {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const { stdout: out } = await promisify(execFile)('taskset', ['-c', LOAD_CORE, 'wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', ...h, `http://127.0.0.1:${port}/bench`], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)![1]!);
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)![1]!);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps: Math.round(rps), p50ms: p50, p99ms: p99, errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0, non2xx };
}

interface Measured extends WrkResult {
  /** CPU per request of the proxy under test and of the backend: contention on a shared machine inflates wall-clock figures, much less these. */
  proxyCpuUsPerReq?: number;
  /** The system-time part of proxyCpuUsPerReq. */
  proxySysUsPerReq?: number;
  /** The part of proxyCpuUsPerReq spent in the group's leader (the gateway's main process, relaying router lines). */
  proxyLeaderUsPerReq?: number;
  backendCpuUsPerReq: number;
  /** The backend's context switches per request (voluntary: it slept in epoll_wait; fewer means more requests per event-loop turn). */
  backendWakeupsPerReq: number;
  backendPreemptionsPerReq: number;
  /** The same for the proxy's processes, all together. */
  proxyWakeupsPerReq?: number;
  proxyPreemptionsPerReq?: number;
  /** Minor page faults per request of the proxy's processes and of the backend. */
  proxyFaultsPerReq?: number;
  backendFaultsPerReq: number;
}

let backendPgid = 0;


async function measure(port: number, headers: Record<string, string> = {}, proxyPgid?: number): Promise<Measured> {
  if (WARMUP > 0) await wrk(port, headers, WARMUP); // warm-up: JIT, pools, nginx upstream keep-alive
  const b0 = groupCpuMs(backendPgid);
  const p0 = proxyPgid ? groupUserSysMs(proxyPgid) : [0, 0];
  const l0 = proxyPgid ? pidCpuMs(proxyPgid) : 0;
  const c0 = ctxSwitches(backendPgid);
  const pc0 = proxyPgid ? groupCtxSwitches(proxyPgid) : [0, 0];
  const f0 = groupMinorFaults(backendPgid);
  const pf0 = proxyPgid ? groupMinorFaults(proxyPgid) : 0;
  const r = await wrk(port, headers);
  const n = r.rps * DURATION;
  const c1 = ctxSwitches(backendPgid);
  const pc1 = proxyPgid ? groupCtxSwitches(proxyPgid) : [0, 0];
  const perReq = (a: number, b: number) => Math.round(((a - b) / n) * 1000) / 1000;
  const out: Measured = { ...r, backendCpuUsPerReq: Math.round(((groupCpuMs(backendPgid) - b0) * 1000) / n), backendWakeupsPerReq: perReq(c1[0], c0[0]), backendPreemptionsPerReq: perReq(c1[1], c0[1]), backendFaultsPerReq: perReq(groupMinorFaults(backendPgid), f0) };
  if (proxyPgid) {
    const [u, s] = groupUserSysMs(proxyPgid);
    out.proxyCpuUsPerReq = Math.round(((u - p0[0]! + s - p0[1]!) * 1000) / n);
    out.proxySysUsPerReq = Math.round(((s - p0[1]!) * 1000) / n);
    out.proxyWakeupsPerReq = perReq(pc1[0]!, pc0[0]!);
    out.proxyPreemptionsPerReq = perReq(pc1[1]!, pc0[1]!);
    out.proxyFaultsPerReq = perReq(groupMinorFaults(proxyPgid), pf0);
    out.proxyLeaderUsPerReq = Math.round(((pidCpuMs(proxyPgid) - l0) * 1000 * 10) / n) / 10;
  }
  return out;
}

const BUILD = join(root, 'packages/spaceport/dist');

async function gateway(backendPort: number, workers: number, distDir = BUILD, serialization = GATEWAY_SERIALIZATION): Promise<{ port: number; pgid: number; lines: () => number; stop: () => void }> {
  const port = await freePort();
  const svc = { id: 's', name: 'api', app: 'api', process: 'web', expose_internal: false, retries: 5, connect_timeout: 5000, read_timeout: 30000, write_timeout: 30000, load_balancing: 'round-robin' as const, tags: [] };
  const config: GatewayRuntimeConfig = {
    entities: {
      services: [svc],
      routes: [{ id: 'r', name: 'api', service: 's', hosts: [], paths: ['/'], methods: [], headers: {}, strip_path: false, preserve_host: false, regex_priority: 0, tags: [] }],
      consumers: [{ id: 'c', username: 'bench', keys: ['bench-key-0001'], basic: [], groups: [], tags: [] }],
      plugins: [
        { id: 'p1', name: 'key-auth', config: {}, enabled: true },
        { id: 'p2', name: 'rate-limiting', config: { second: 1_000_000_000, minute: 1_000_000_000 }, enabled: true },
      ],
    },
    internalApiKey: 'k'.repeat(64),
    listen: { host: '127.0.0.1', port },
    internal: [],
    apps: { api: { internal: false } },
    workers,
  };
  // As the control plane starts it: the router-log pipe on fd 4, which a lone worker writes its lines to
  // (builds before session 5 ignore it and send every line over IPC through the main process).
  const gw = fork(join(distDir, 'gateway/main.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'], env: { ...process.env, SPACEPORT_ROUTER_LOG_FD: '4' }, detached: true, execArgv: distDir === BUILD ? GATEWAY_NODE_ARGS : BASELINE_NODE_ARGS ?? GATEWAY_NODE_ARGS, serialization });
  procs.push(gw);
  execFileSync('taskset', ['-a', '-p', '-c', PROXY_CORE, String(gw.pid)]);
  let lines = 0;
  (gw.stdio[4] as Readable).on('data', (b: Buffer) => {
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
  });
  const ready = new Promise<void>((resolve) => {
    gw.on('message', (raw) => {
      const m = raw as FromGateway;
      if (m.type === 'hello') {
        gw.send({ type: 'config', config });
        gw.send({ type: 'dynos', dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: backendPort, state: 'up' }] });
      } else if (m.type === 'ready') resolve();
      else if (m.type === 'logs') lines += m.text.split('\n').length - 1;
    });
  });
  await ready;
  return { port, pgid: gw.pid!, lines: () => lines, stop: () => kill(gw) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Medians over rounds of every figure (rounded), so one disturbed round moves nothing. */
function medianOf(rounds: Measured[]): Measured {
  const out: Record<string, number> = {};
  for (const k of Object.keys(rounds[0]!) as (keyof Measured)[]) {
    const vals = rounds.map((r) => r[k]).filter((v): v is number => typeof v === 'number');
    if (vals.length) out[k] = Math.round(median(vals) * 100) / 100;
  }
  return out as unknown as Measured;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** What the gateway adds to the bench's request (key-auth's consumer headers, the router's), as it sends them. */
const GATEWAY_HEADERS: Record<string, string> = {
  'x-consumer-id': 'c',
  'x-consumer-username': 'bench',
  'x-credential-identifier': 'bench',
  'X-Request-Id': '7c1e3a52-9d0f-4b6e-8a21-000000000001',
  'X-Forwarded-For': '127.0.0.1',
  'X-Forwarded-Proto': 'http',
  'X-Forwarded-Port': '8000',
  'X-Request-Start': '1795300895807',
  Via: '1.1 spaceport',
  'X-Internal-API-Key': 'k'.repeat(64),
};

async function main(): Promise<void> {
  // The driver (it receives the router log lines, as the control plane would) runs beside wrk, off the proxy core.
  execFileSync('taskset', ['-p', '-c', LOAD_CORE, String(process.pid)]);
  const want = (name: string) => ONLY === undefined || ONLY.includes(name);
  const be0 = await backend();
  backendPgid = be0.pgid;
  const be = be0.port;
  const key = { apikey: 'bench-key-0001' };
  const targets: [string, number, Record<string, string>, number | undefined][] = [];
  if (want('direct')) targets.push(['direct', be, {}, undefined]);
  // For reference: the backend alone, sent the headers the gateway adds for it (router and consumer headers),
  // so its CPU per request shows what parsing them costs a Node app.
  if (want('direct_gateway_headers')) targets.push(['direct_gateway_headers', be, { ...key, ...GATEWAY_HEADERS }, undefined]);
  if (want('nginx')) {
    const ng = await nginx(be);
    targets.push(['nginx', ng.port, {}, ng.pgid]);
  }
  if (want('nginx_router_headers')) {
    const ng = await nginx(be, true);
    targets.push(['nginx_router_headers', ng.port, {}, ng.pgid]);
  }
  if (want('node_tcp_pipe_upper_bound')) {
    const pipe = await nodePipe(be);
    targets.push(['node_tcp_pipe_upper_bound', pipe.port, {}, pipe.pgid]);
  }
  // For reference: the least JavaScript doing the gateway's visible work for this request (bench/gateway-minimal-proxy.mjs).
  if (want('node_minimal_http_proxy')) {
    const mp = await minimalProxy(be);
    targets.push(['node_minimal_http_proxy', mp.port, key, mp.pgid]);
  }
  let gw1: Awaited<ReturnType<typeof gateway>> | undefined;
  if (want('spaceport_workers_1')) {
    gw1 = await gateway(be, 1);
    targets.push(['spaceport_workers_1', gw1.port, key, gw1.pgid]);
  }
  // Comma-separated builds: baseline_workers_1, baseline2_workers_1, ...
  for (const [i, distDir] of (BASELINE?.split(',') ?? []).entries()) {
    const base = await gateway(be, 1, distDir, BASELINE_SERIALIZATION);
    targets.push([`baseline${i === 0 ? '' : i + 1}_workers_1`, base.port, key, base.pgid]);
  }
  if (want('spaceport_workers_2')) {
    const gw2 = await gateway(be, 2);
    targets.push(['spaceport_workers_2', gw2.port, key, gw2.pgid]);
  }
  // Every target is measured once per round, interleaved, so a burst of other load on this shared machine
  // falls on all of them alike; medians over rounds are the figures.
  const rounds: Record<string, Measured[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    // Every other round in reverse order (A B, B A, ...): no target always runs right after the same one.
    for (const [name, port, headers, pgid] of round % 2 === 0 ? targets : [...targets].reverse()) {
      const r = await measure(port, headers, pgid);
      (rounds[name] ??= []).push(r);
    }
  }
  const med: Record<string, Measured> = {};
  const best: Record<string, number> = {};
  for (const [name, rs] of Object.entries(rounds)) {
    med[name] = medianOf(rs);
    best[name] = Math.max(...rs.map((r) => r.rps));
  }
  await new Promise((r) => setTimeout(r, 300));
  const ratios: Record<string, number> = {};
  const n = med.nginx;
  const g1 = med.spaceport_workers_1;
  const g2 = med.spaceport_workers_2;
  const b1 = med.baseline_workers_1;
  if (n && g1) {
    ratios.rps_vs_nginx = ratio(g1.rps, n.rps);
    ratios.p99_vs_nginx = ratio(g1.p99ms, n.p99ms);
    // On one shared core, req/s ≈ 1 / (backend CPU + proxy CPU) per request: the ratio the CPU costs predict.
    ratios.cpu_predicted_rps_vs_nginx = ratio(n.backendCpuUsPerReq + n.proxyCpuUsPerReq!, g1.backendCpuUsPerReq + g1.proxyCpuUsPerReq!);
    // The same ratio per round (both measured within a minute of each other), then the median.
    ratios.rps_vs_nginx_median_of_rounds = ratio(median(rounds.spaceport_workers_1!.map((r, i) => r.rps / rounds.nginx![i]!.rps)) * 100, 100);
    ratios.p99_vs_nginx_median_of_rounds = ratio(median(rounds.spaceport_workers_1!.map((r, i) => r.p99ms / rounds.nginx![i]!.p99ms)) * 100, 100);
  }
  const nh = med.nginx_router_headers;
  if (nh && g1) {
    // For reference only (the target is against plain nginx): nginx doing the router's header work too.
    ratios.rps_vs_nginx_router_headers = ratio(g1.rps, nh.rps);
    ratios.p99_vs_nginx_router_headers = ratio(g1.p99ms, nh.p99ms);
  }
  if (n && b1) ratios.baseline_rps_vs_nginx = ratio(b1.rps, n.rps);
  if (g1 && b1) {
    ratios.cpu_per_req_new_vs_baseline = ratio(g1.proxyCpuUsPerReq!, b1.proxyCpuUsPerReq!);
    // Paired by round (measured within seconds of each other): the steadier comparison on a busy machine.
    const g = rounds.spaceport_workers_1!;
    const b = rounds.baseline_workers_1!;
    ratios.cpu_per_req_new_vs_baseline_median_of_rounds = ratio(median(g.map((r, i) => r.proxyCpuUsPerReq! / b[i]!.proxyCpuUsPerReq!)) * 100, 100);
    ratios.backend_cpu_per_req_new_vs_baseline_median_of_rounds = ratio(median(g.map((r, i) => r.backendCpuUsPerReq / b[i]!.backendCpuUsPerReq)) * 100, 100);
    // User time alone: the proxy's own code (system time is mostly loopback TCP, the same work for both builds).
    ratios.user_cpu_per_req_new_vs_baseline_median_of_rounds = ratio(median(g.map((r, i) => (r.proxyCpuUsPerReq! - r.proxySysUsPerReq!) / (b[i]!.proxyCpuUsPerReq! - b[i]!.proxySysUsPerReq!))) * 100, 100);
    ratios.p99_new_vs_baseline_median_of_rounds = ratio(median(g.map((r, i) => r.p99ms / b[i]!.p99ms)) * 100, 100);
    ratios.rps_new_vs_baseline_median_of_rounds = ratio(median(g.map((r, i) => r.rps / b[i]!.rps)) * 100, 100);
    ratios.rounds_new_proxy_cpu_lower = g.filter((r, i) => r.proxyCpuUsPerReq! < b[i]!.proxyCpuUsPerReq!).length;
    ratios.rounds_new_proxy_cpu_higher = g.filter((r, i) => r.proxyCpuUsPerReq! > b[i]!.proxyCpuUsPerReq!).length;
  }
  if (n) {
    const pipeR = med.node_tcp_pipe_upper_bound;
    if (pipeR) ratios.node_tcp_pipe_rps_vs_nginx = ratio(pipeR.rps, n.rps);
    const minR = med.node_minimal_http_proxy;
    if (minR) ratios.node_minimal_http_proxy_rps_vs_nginx = ratio(minR.rps, n.rps);
    if (minR && g1) ratios.gateway_cpu_vs_node_minimal_http_proxy = ratio(g1.proxyCpuUsPerReq!, minR.proxyCpuUsPerReq!);
  }
  if (g1 && g2) ratios.rps_workers2_vs_1 = ratio(g2.rps, g1.rps);
  console.log(
    JSON.stringify(
      {
        setup: { duration_s: DURATION, rounds: ROUNDS, connections: CONNECTIONS, proxyCore: PROXY_CORE, loadCore: LOAD_CORE, node: process.version, plugins: ['key-auth', 'rate-limiting'], routerLogging: true, baseline: BASELINE, loadavg: loadavg() },
        medians: med,
        best_rps: best,
        // Per round: [req/s, p99 ms, proxy CPU µs/request, backend CPU µs/request].
        rounds: Object.fromEntries(Object.entries(rounds).map(([k, rs]) => [k, rs.map((r) => [r.rps, r.p99ms, r.proxyCpuUsPerReq ?? 0, r.backendCpuUsPerReq])])),
        routerLogLinesTotal: gw1?.lines(),
        ratios,
        targets: { rps_vs_nginx: '>= 0.6', p99_vs_nginx: '<= 2' },
      },
      null,
      2,
    ),
  );
}

/** Gateways get a clean shutdown first (profiles from --gateway-node-args are written at exit). */
async function stopAll(): Promise<void> {
  const gws = procs.filter((p) => p.connected);
  for (const g of gws) g.send({ type: 'shutdown' });
  await Promise.race([Promise.all(gws.map((g) => new Promise((r) => g.once('exit', r)))), new Promise((r) => setTimeout(r, 5000))]);
  procs.forEach(kill);
  rmSync(dir, { recursive: true, force: true });
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
