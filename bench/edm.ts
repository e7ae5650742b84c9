/**
 * bench/edm.ts: the edm reference system under load, with its targets side by side.
 *   node --import tsx bench/edm.ts [--rate 1000] [--seconds 60] [--sockets 256] [--workers N (gateway workers)]
 * 1. Start-up: `spaceport up -d` on a fresh copy of examples/edm (builds, new database), `down`, then `up -d` again.
 * 2. The dashboard open in chromium; a load generator sends `rate` events/s (one event per request) through the
 *    gateway's partner route for `seconds`; the dashboard measures click-to-dashboard latency (now - event.at).
 * 3. Relay errors, stats totals against acknowledged events, CPU and RSS of every process with its children.
 * Prints JSON (also written to bench/results/edm.json).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, PARTNER_KEY, ROOT, runCli, stats, until, writeEdmSpace, type EdmSpace } from '../e2e/edm-support.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '60' }, sockets: { type: 'string', default: '256' }, workers: { type: 'string' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
/** Concurrent client connections: many storefront users or partner servers, not one pipelined client. */
const SOCKETS = Number(values.sockets);
const TICK_MS = 10;
const CLK_TCK = 100;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const log = (msg: string) => process.stderr.write(`[bench/edm] ${msg}\n`);

// ---- process accounting: every process group the space recorded, plus chromium and this generator -------------
interface Usage {
  ticks: number;
  rss: number;
  count: number;
}
/**
 * CPU ticks and RSS of a process and its descendants (Postgres backends, gateway workers and chromium's helpers
 * included), not descending into `stopAt` (other processes reported on their own, such as the control plane's dynos).
 */
function treeUsage(root: number, stopAt: ReadonlySet<number>): Usage {
  const u: Usage = { ticks: 0, rss: 0, count: 0 };
  const procs = new Map<number, { ppid: number; ticks: number; rss: number }>();
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

let cleanupOnError: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  // ---- 1. start-up, first and second run ------------------------------------------------------------------------
  const dir = writeEdmSpace({
    keepBuilds: true,
    edit: (c) => {
      if (values.workers) c.gateway.workers = Number(values.workers);
    },
  });
  const cli = (args: string[], ms = 300_000) => runCli(dir, args, ms);
  const state = () => JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as { processes: Record<string, { pid: number }>; controlPlane?: { pid: number } };
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
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  cleanupOnError = cleanup;

  let t = Date.now();
  let r = await cli(['up', '-d']);
  if (r.code !== 0) throw new Error(`first up failed: ${r.stderr}`);
  const firstMs = Date.now() - t;
  log(`first up: ${firstMs} ms`);
  await cli(['down'], 60_000);
  t = Date.now();
  r = await cli(['up', '-d']);
  if (r.code !== 0) throw new Error(`second up failed: ${r.stderr}`);
  const secondMs = Date.now() - t;
  log(`second up: ${secondMs} ms`);

  const status = JSON.parse((await cli(['status', '--json'])).stdout) as { services: Record<string, { listen?: string }> };
  const gateway = status.services.gateway!.listen!.replace(/\/$/, '');
  const space = { gateway } as EdmSpace;

  // ---- 2. dashboard open, load --------------------------------------------------------------------------------
  const profile = mkdtempSync(join(tmpdir(), 'edm-bench-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1440, height: 1000 } });
  const page = await browser.newPage();
  await page.goto(`${gateway}/dashboard`);
  await until(() => page.evaluate(() => (window as unknown as { edmDashboard: { connected: boolean } }).edmDashboard.connected), 20_000, 'the dashboard to connect');
  // The browser process is the one whose command line names our profile and whose parent does not.
  const chromiumPid = (() => {
    const named = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(profile)) continue;
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        named.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* gone */
      }
    }
    for (const [pid, ppid] of named) if (!named.has(ppid)) return pid;
    return 0;
  })();

  const groups = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [name, rec] of Object.entries(state().processes)) out[name.replace(/#\d+$/, '')] = rec.pid;
    const cp = state().controlPlane;
    if (cp) out['control-plane'] = cp.pid;
    if (chromiumPid) out['chromium (dashboard)'] = chromiumPid;
    return out;
  };
  const startUsage = new Map<string, Usage>();
  const peakRss = new Map<string, number>();
  const sample = (into?: Map<string, Usage>) => {
    const g = groups();
    const roots = new Set(Object.values(g));
    for (const [name, pid] of Object.entries(g)) {
      const u = treeUsage(pid, roots);
      into?.set(name, u);
      peakRss.set(name, Math.max(peakRss.get(name) ?? 0, u.rss));
    }
  };

  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  const url = new URL(`${gateway}/api/partner/events`);
  let sent = 0;
  let acked = 0;
  let inflight = 0;
  let maxInflight = 0;
  const errors = new Map<string, number>();
  const httpLatency: number[] = [];
  const send = () => {
    const at = Date.now();
    const body = JSON.stringify({ type: sent % 3 === 0 ? 'pageload' : 'click', product: `p-${String(1 + (sent % 24)).padStart(3, '0')}`, at, session: 'bench' });
    sent++;
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), apikey: PARTNER_KEY } },
      (res) => {
        res.resume();
        res.on('end', () => {
          inflight--;
          httpLatency.push(Date.now() - at);
          if (res.statusCode === 202) acked++;
          else errors.set(String(res.statusCode), (errors.get(String(res.statusCode)) ?? 0) + 1);
        });
      },
    );
    req.on('error', (e) => {
      inflight--;
      errors.set(e.message, (errors.get(e.message) ?? 0) + 1);
    });
    req.end(body);
  };

  log(`sending ${RATE} events/s for ${SECONDS} s through ${url.href}`);
  sample(startUsage);
  const cpuStart = process.cpuUsage();
  const loadStart = Date.now();
  let due = 0;
  const sampler = setInterval(() => sample(), 5000);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Date.now() - loadStart;
      if (elapsed >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Open loop: what is due by now is sent now, whatever the answers are doing.
      const target = Math.floor((elapsed / 1000) * RATE);
      for (; due < target; due++) send();
    }, TICK_MS);
  });
  const loadMs = Date.now() - loadStart;
  const endUsage = new Map<string, Usage>();
  sample(endUsage);
  clearInterval(sampler);
  const cpuGen = process.cpuUsage(cpuStart);
  await until(() => inflight === 0, 60_000, 'in-flight requests to finish');
  log(`sent ${sent}, acknowledged ${acked}, errors ${JSON.stringify(Object.fromEntries(errors))}`);

  // ---- 3. stats convergence, dashboard latency -----------------------------------------------------------------
  const convergeStart = Date.now();
  let totals = { click: 0, pageload: 0 };
  try {
    await until(async () => {
      totals = (await stats(space)).totals;
      return totals.click + totals.pageload >= acked;
    }, 120_000, 'stats to count every acknowledged event');
  } catch (e) {
    log(String(e));
  }
  const convergeMs = Date.now() - convergeStart;
  await new Promise((r) => setTimeout(r, 1000));
  totals = (await stats(space)).totals;
  await until(() => page.evaluate((n) => (window as unknown as { edmDashboard: { received: number } }).edmDashboard.received >= n, acked), 30_000, 'the dashboard to receive every event').catch((e: unknown) => log(String(e)));
  const dash = await page.evaluate(() => {
    const d = (window as unknown as { edmDashboard: { received: number; latencies: number[]; transport: string } }).edmDashboard;
    return { received: d.received, latencies: d.latencies, transport: d.transport };
  });
  const lat = dash.latencies.slice().sort((a, b) => a - b);
  const http = httpLatency.slice().sort((a, b) => a - b);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'bench', 'results', 'edm-dashboard.png') });
  await browser.close();
  rmSync(profile, { recursive: true, force: true });

  const processes = Object.keys(Object.fromEntries(endUsage)).map((name) => {
    const a = startUsage.get(name);
    const b = endUsage.get(name)!;
    const cpu = a ? ((b.ticks - a.ticks) / CLK_TCK / (loadMs / 1000)) * 100 : NaN;
    return { name, processes: b.count, cpu_pct_of_one_core: Math.round(cpu * 10) / 10, rss_mb_peak: Math.round(((peakRss.get(name) ?? b.rss) / 1048576) * 10) / 10 };
  });
  processes.push({
    name: 'load generator (this process)',
    processes: 1,
    cpu_pct_of_one_core: Math.round(((cpuGen.user + cpuGen.system) / 1000 / loadMs) * 1000) / 10,
    rss_mb_peak: Math.round((process.memoryUsage().rss / 1048576) * 10) / 10,
  });

  const result = {
    benchmark: 'edm',
    machine: { cores: (await import('node:os')).cpus().length, node: process.version, load_average_at_end: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10) },
    startup_ms: { first_run: firstMs, second_run: secondMs, what: '`spaceport up -d` on a fresh copy of examples/edm until every dyno is up; first run builds the five apps and creates the database' },
    load: {
      route: 'POST /api/partner/events (key-auth), one event per request',
      client_connections: SOCKETS,
      gateway_workers: values.workers ? Number(values.workers) : 'default (one per core)',
      target_events_per_s: RATE,
      seconds: Math.round(loadMs / 100) / 10,
      sent,
      acknowledged: acked,
      achieved_events_per_s: Math.round(sent / (loadMs / 1000)),
      max_in_flight: maxInflight,
      http_latency_ms: { p50: pct(http, 50), p99: pct(http, 99), max: http[http.length - 1] },
    },
    click_to_dashboard_ms: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat[lat.length - 1], events: lat.length, transport: dash.transport, anchor_target_p99: 100, meets_target: pct(lat, 99) < 100 },
    relay_errors: { count: [...errors.values()].reduce((a, b) => a + b, 0), by_kind: Object.fromEntries(errors), anchor_target: 0 },
    stats_vs_acknowledged: { stats_total: totals.click + totals.pageload, totals, acknowledged: acked, match: totals.click + totals.pageload === acked, converge_ms_after_load: convergeMs },
    dashboard_received: dash.received,
    processes,
  };
  const text = JSON.stringify(result, null, 2);
  writeFileSync(join(ROOT, 'bench', 'results', 'edm.json'), `${text}\n`);
  console.log(text);
  await cleanup();
}

main().catch(async (e: unknown) => {
  console.error(e);
  await cleanupOnError?.();
  process.exit(1);
});
