/**
 * bench/edm.ts: the edm reference system under load, with its targets side by side.
 *   node --import tsx bench/edm.ts [--rate 1000] [--seconds 60] [--sockets 256] [--workers N (gateway workers)]
 *                                  [--second-start false (skip the down + second up)] [--client raw|node]
 *                                  [--profile edm-relay,edm-stream (CPU profiles of those apps into bench/results/)]
 *                                  [--env edm-relay:KEY=VALUE ... (config vars for an A/B of app settings)]
 *                                  [--scale edm-relay:web=2 ... (dyno counts for an A/B)]
 *                                  [--keep-logs (the space's log into bench/results/edm-logs/)]
 *                                  [--warmup 10 (seconds at the same rate before the measured ones)]
 *                                  [--profile-browser (the dashboard's JS CPU profile into bench/results/)]
 * 1. Start-up: `spaceport up -d` on a fresh copy of examples/edm (builds, new database), `down`, then `up -d` again.
 * 2. The dashboard open in chromium; an open-loop load generator sends `rate` events/s (one event per request) through
 *    the gateway's partner route for `seconds`. Each event's `at` is its intended send time on the schedule, so the
 *    generator's own lag counts against the latency; the dashboard measures click-to-dashboard latency (now - at).
 *    Every request asks for trace stamps (X-Edm-Trace), so the JSON also breaks the latency down per hop
 *    (bench/edm-trace.ts) and gives the event-loop delay and GC pauses of the relay and the stream (their logs) and
 *    the dashboard's own main-thread work (performance marks, long tasks).
 * 3. Relay errors, stats totals against acknowledged events, CPU and RSS of every process with its children.
 * Prints JSON (also written to bench/results/edm.json).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, PARTNER_KEY, ROOT, stats, until, type EdmSpace } from '../e2e/edm-support.js';
import { benchSpace } from './edm-space.js';
import { LoadClient, type LoadResult } from './edm-load.js';
import { checkClock, hopBreakdown, percentiles, type BrowserTrace, type SentRequest } from './edm-trace.js';
import { browserPid, chromiumTicks, CLK_TCK, errorLog, runtimeLog, treeUsage, type Usage } from './edm-procs.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    sockets: { type: 'string', default: '256' },
    workers: { type: 'string' },
    'second-start': { type: 'string', default: 'true' },
    client: { type: 'string', default: 'raw' },
    profile: { type: 'string' },
    env: { type: 'string', multiple: true },
    scale: { type: 'string', multiple: true },
    'keep-logs': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '10' },
    'profile-browser': { type: 'boolean', default: false },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
/**
 * Seconds of load at the same rate before the measured ones: a fresh space starts with cold JITs and no upstream
 * connections, and for its first ~5 s takes a few hundred requests a second (measured in the router log); the
 * backlog of that start-up would otherwise be most of the p90/p99. Warm-up events count for errors and totals.
 */
const WARMUP = Number(values.warmup);
/** Concurrent client connections: many storefront users or partner servers, not one pipelined client. */
const SOCKETS = Number(values.sockets);
/** The generator sends what is due every 2 ms: an event leaves at most ~2 ms after its intended time when the loop is free. */
const TICK_MS = 2;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const log = (msg: string) => process.stderr.write(`[bench/edm] ${msg}\n`);

let cleanupOnError: (() => Promise<void>) | undefined;

async function main(): Promise<void> {
  // ---- 1. start-up, first and second run ------------------------------------------------------------------------
  const { dir, cli, state, cleanup } = benchSpace({ workers: values.workers, env: values.env, scale: values.scale, profile: values.profile });
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  cleanupOnError = cleanup;

  let t = Date.now();
  let r = await cli(['up', '-d']);
  if (r.code !== 0) throw new Error(`first up failed: ${r.stderr}`);
  const firstMs = Date.now() - t;
  log(`first up: ${firstMs} ms`);
  let secondMs = NaN;
  if (values['second-start'] !== 'false') {
    await cli(['down'], 60_000);
    t = Date.now();
    r = await cli(['up', '-d']);
    if (r.code !== 0) throw new Error(`second up failed: ${r.stderr}`);
    secondMs = Date.now() - t;
    log(`second up: ${secondMs} ms`);
  }

  const status = JSON.parse((await cli(['status', '--json'])).stdout) as { services: Record<string, { listen?: string }> };
  const gateway = status.services.gateway!.listen!.replace(/\/$/, '');
  const space = { gateway } as EdmSpace;

  // ---- 2. dashboard open, load --------------------------------------------------------------------------------
  const profile = mkdtempSync(join(tmpdir(), 'edm-bench-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1440, height: 1000 } });
  const page = await browser.newPage();
  await page.goto(`${gateway}/dashboard`);
  await until(() => page.evaluate(() => (window as unknown as { edmDashboard: { connected: boolean } }).edmDashboard.connected), 20_000, 'the dashboard to connect');
  const chromiumPid = browserPid(profile);

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
  const raw = values.client === 'node' ? undefined : new LoadClient(url.hostname, Number(url.port), SOCKETS);
  // Every client connection is open before the clock starts: the figures are the steady state, not connection setup.
  await raw?.warm();
  let sent = 0;
  const warmupEvents = Math.round(WARMUP * RATE);
  let acked = 0;
  let inflight = 0;
  let maxInflight = 0;
  const errors = new Map<string, number>();
  const httpLatency: number[] = [];
  const requests: SentRequest[] = [];
  /** Sends event number `seq`, meant to leave at `intended` (epoch ms): its `at`, and its session names it. */
  const send = (seq: number, intended: number) => {
    const at = Math.round(intended);
    const rec: SentRequest = { intended: at, written: NaN, answered: NaN };
    requests[seq] = rec;
    const body = JSON.stringify({ type: seq % 3 === 0 ? 'pageload' : 'click', product: `p-${String(1 + (seq % 24)).padStart(3, '0')}`, at, session: `${seq < warmupEvents ? 'w' : 'b'}${seq}` });
    sent++;
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    const headers = { 'content-type': 'application/json', apikey: PARTNER_KEY, 'x-edm-trace': '1' };
    const done = (status: number, text: string) => {
      inflight--;
      rec.answered = Date.now();
      if (seq >= warmupEvents) httpLatency.push(rec.answered - at);
      if (status === 202) {
        acked++;
        try {
          rec.trace = (JSON.parse(text) as { trace?: SentRequest['trace'] }).trace;
        } catch {
          /* no trace: counted as acknowledged all the same */
        }
      } else {
        // The status with what the body says (a router H code or the relay's error), so a 503 can be traced.
        let why = '';
        try {
          const b = JSON.parse(text) as { error?: string; code?: string; message?: string };
          why = b.error ?? b.code ?? b.message ?? '';
        } catch {
          why = text.slice(0, 60);
        }
        const k = `${status} ${why}`.trim();
        errors.set(k, (errors.get(k) ?? 0) + 1);
      }
    };
    if (raw) {
      raw.post(url.pathname, headers, body, () => (rec.written = Date.now()), (r: LoadResult | Error) => {
        if (r instanceof Error) {
          inflight--;
          errors.set(r.message, (errors.get(r.message) ?? 0) + 1);
        } else done(r.status, r.body);
      });
      return;
    }
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => done(res.statusCode ?? 0, text));
      },
    );
    req.on('finish', () => (rec.written = Date.now()));
    req.on('error', (e) => {
      inflight--;
      errors.set(e.message, (errors.get(e.message) ?? 0) + 1);
    });
    req.end(body);
  };

  const clock = await checkClock(page);
  log(`browser clock offset ${clock.offset_ms} ms (± ${clock.uncertainty_ms} ms)`);
  log(`sending ${RATE} events/s for ${WARMUP} s (warm-up) + ${SECONDS} s through ${url.href}`);
  const cdp = values['profile-browser'] ? await browser.newCDPSession(page) : undefined;
  await cdp?.send('Profiler.enable');
  await cdp?.send('Profiler.start');
  const warmStart = Date.now();
  let due = 0;
  let loadAvgStart: number[] = [];
  let cpuStart = process.cpuUsage();
  let loadStart = warmStart + WARMUP * 1000;
  const sampler = setInterval(() => sample(), 5000);
  let lateTicks = 0;
  let maxTickLag = 0;
  let lastTick = warmStart;
  let chromiumStart = new Map<string, number>();
  let measuring = false;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const lag = now - lastTick - TICK_MS;
      lastTick = now;
      if (lag > 20) lateTicks++;
      maxTickLag = Math.max(maxTickLag, lag);
      if (!measuring && now >= loadStart) {
        // The measured part starts: CPU counters and the load average from here.
        measuring = true;
        loadStart = now;
        loadAvgStart = loadavg().map((x) => Math.round(x * 10) / 10);
        sample(startUsage);
        chromiumStart = chromiumTicks(chromiumPid);
        cpuStart = process.cpuUsage();
      }
      const elapsed = now - warmStart;
      if (elapsed >= (WARMUP + SECONDS) * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Open loop: what is due by now is sent now, whatever the answers are doing; each event's `at` is when it
      // was due, so a late timer tick counts as latency rather than hiding it.
      const target = Math.floor((elapsed / 1000) * RATE);
      for (; due < target; due++) send(due, warmStart + (due * 1000) / RATE);
    }, TICK_MS);
  });
  const loadMs = Date.now() - loadStart;
  const endUsage = new Map<string, Usage>();
  sample(endUsage);
  const chromiumEnd = chromiumTicks(chromiumPid);
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'edm-dashboard.cpuprofile'), JSON.stringify(profile));
  }
  const chromiumByKind = Object.fromEntries(
    [...chromiumEnd].map(([k, t]) => [k, Math.round(((t - (chromiumStart.get(k) ?? 0)) / CLK_TCK / (loadMs / 1000)) * 1000) / 10]),
  );
  clearInterval(sampler);
  const cpuGen = process.cpuUsage(cpuStart);
  const loadAvgEnd = (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
  await until(() => inflight === 0, 60_000, 'in-flight requests to finish');
  raw?.close();
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
  type Perf = { frames: number[]; renders: number[]; ticks: number[]; longTasks: number[] };
  const dash = await page.evaluate(() => {
    const d = (window as unknown as { edmDashboard: { received: number; latencies: number[]; transport: string; traces: BrowserTrace[]; perf: Perf; shown: [string, number][] } }).edmDashboard;
    return { received: d.received, latencies: d.latencies, transport: d.transport, traces: d.traces, perf: d.perf, shown: d.shown };
  });
  const measured = dash.traces.filter((t) => t[0].startsWith('b'));
  const hops = hopBreakdown(measured, requests);
  const runtimeLines = runtimeLog(dir, loadStart, loadStart + loadMs);
  const logErrors = errorLog(dir, loadStart, loadStart + loadMs);
  if (values['keep-logs']) {
    const to = join(ROOT, 'bench', 'results', 'edm-logs');
    mkdirSync(to, { recursive: true });
    for (const name of ['space.log.1', 'space.log']) {
      try {
        writeFileSync(join(to, name), readFileSync(join(dir, '.spaceport', 'logs', name)));
      } catch {
        /* not rotated */
      }
    }
  }
  // Click-to-dashboard of the measured events (the dashboard's own `now - at`, from its traces: warm-up excluded).
  const lat = measured.map((t) => t[8] - t[1]).sort((a, b) => a - b);
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
    machine: {
      cores: (await import('node:os')).cpus().length,
      node: process.version,
      load_average_at_start: loadAvgStart,
      load_average_at_end: loadAvgEnd,
      browser_clock_offset_ms: clock,
    },
    startup_ms: { first_run: firstMs, second_run: secondMs, what: '`spaceport up -d` on a fresh copy of examples/edm until every dyno is up; first run builds the five apps and creates the database' },
    load: {
      route: 'POST /api/partner/events (key-auth), one event per request',
      client: values.client === 'node' ? 'node http.request with a keep-alive Agent' : 'raw keep-alive sockets (bench/edm-load.ts)',
      client_connections: SOCKETS,
      gateway_workers: values.workers ? Number(values.workers) : 'default (one per core)',
      target_events_per_s: RATE,
      warmup_seconds: WARMUP,
      seconds: Math.round(loadMs / 100) / 10,
      sent,
      sent_in_warmup: Math.min(sent, warmupEvents),
      acknowledged: acked,
      achieved_events_per_s: Math.round((sent - Math.min(sent, warmupEvents)) / (loadMs / 1000)),
      max_in_flight: maxInflight,
      http_latency_ms: { p50: pct(http, 50), p99: pct(http, 99), max: http[http.length - 1] },
    },
    click_to_dashboard_ms: { p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat[lat.length - 1], events: lat.length, transport: dash.transport, anchor_target_p99: 100, meets_target: pct(lat, 99) < 100 },
    hops_ms: hops,
    shown_in_feed_ms: { ...percentiles(dash.shown.filter(([s]) => s.startsWith('b')).map(([, ms]) => ms)), what: 'intended send time → the feed redraw that showed it (the feed redraws at most every 150 ms and shows the last 12 events of each redraw)' },
    generator: { late_ticks_over_20ms: lateTicks, max_tick_lag_ms: maxTickLag },
    dashboard_main_thread_ms: {
      socket_io_frame: percentiles(dash.perf.frames),
      feed_redraw: percentiles(dash.perf.renders),
      chart_tick: percentiles(dash.perf.ticks),
      long_tasks: { count: dash.perf.longTasks.length, total_ms: dash.perf.longTasks.reduce((a, b) => a + b, 0), ...percentiles(dash.perf.longTasks) },
    },
    runtime_during_load: runtimeLines,
    chromium_cpu_pct_by_process_kind: chromiumByKind,
    relay_errors: { count: [...errors.values()].reduce((a, b) => a + b, 0), by_kind: Object.fromEntries(errors), in_logs: logErrors, anchor_target: 0 },
    stats_vs_acknowledged: { stats_total: totals.click + totals.pageload, totals, acknowledged: acked, match: totals.click + totals.pageload === acked, converge_ms_after_load: convergeMs },
    dashboard_received: dash.received,
    settings: { env: values.env ?? [], scale: values.scale ?? [], profile: values.profile ?? null },
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
