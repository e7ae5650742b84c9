/**
 * Main module of the gateway parent process (started by the control plane through the Supervisor).
 * It forks the workers with node:cluster in SCHED_NONE mode, so every worker accepts on the same
 * listening sockets (the kernel spreads connections), relays config and dyno tables to them, reports a
 * dyno table applied once every worker has it, forwards their router log batches (a lone worker writes
 * them to the control plane's pipe itself: router-log-pipe.ts), and serves the admin API on loopback.
 */
import cluster, { type Worker } from 'node:cluster';
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DynoTarget, GatewayRuntimeConfig } from './entities.js';
import type { FromGateway, FromWorker, ToGateway } from './ipc.js';
import { sumSnapshots, type MetricsSnapshot } from './metrics.js';
import { AdminServer } from './admin/server.js';
import { CounterHub } from './shared-counters.js';
import { ROUTER_LOG_FD, ROUTER_LOG_FD_ENV, routerLogFd } from './router-log-pipe.js';

if (!process.send) {
  console.error('gateway: start it with an IPC channel (the control plane does)');
  process.exit(2);
}
const toParent = (msg: FromGateway) => {
  if (process.connected) process.send!(msg);
};

cluster.schedulingPolicy = cluster.SCHED_NONE;
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
// A larger young generation: a proxy allocates many short-lived objects per request, and fewer
// scavenges cost less CPU than many small ones.
// `advanced` (V8 serialization) on the worker channel: router log batches are strings full of quotes, tabs
// and newlines, which JSON escapes char by char on one side and unescapes on the other (~0.9 µs per line).
cluster.setupPrimary({
  exec: fileURLToPath(new URL(`./worker-main${ext}`, import.meta.url)),
  silent: false,
  execArgv: [...process.execArgv, '--max-semi-space-size=32'],
  serialization: 'advanced',
});

let config: GatewayRuntimeConfig | undefined;
let dynos: DynoTarget[] = [];
/** The control plane's number of the last dyno table, what each worker acknowledged, what was reported. */
let dynosSeq = 0;
const dynosApplied = new Map<Worker, number>();
let dynosReported = 0;
let readySent = false;
let stopping = false;
const workers = new Set<Worker>();
const hello = new Set<Worker>();
const listening = new Set<Worker>();
let metricsSeq = 0;
const metricsWaits = new Map<number, { got: MetricsSnapshot[]; want: number; done: (s: MetricsSnapshot) => void }>();
let publicPort = 0;
/**
 * With `listen: 0`, whether new workers bind the reported port itself. Cluster shares one listening handle per
 * address and port as the workers asked for it: while any worker that was sent port 0 lives, the handle for
 * port 0 (holding the reported port) is open and a new worker must ask for 0 too (asking for the port itself
 * would be another handle: EADDRINUSE). Once none is left, cluster has closed that handle, and a worker asking
 * for 0 would get another port than the one reported: from then on workers ask for the reported port.
 */
let pinPublicPort = false;

const broadcast = (msg: ToGateway) => {
  for (const w of workers) if (w.isConnected()) w.send(msg);
};

/** The control plane's router-log pipe (router-log-pipe.ts), if it gave one. */
const logFd = routerLogFd();

function fork(): void {
  // A lone worker writes its router lines straight into the control plane's pipe, as its own fd 4; with more
  // workers, each sends them here over IPC and they are relayed (two writers could cut each other's lines).
  const direct = logFd !== undefined && (config?.workers ?? 1) === 1;
  cluster.setupPrimary({ stdio: direct ? ['inherit', 'inherit', 'inherit', 'ipc', logFd!] : undefined });
  const w = cluster.fork({ [ROUTER_LOG_FD_ENV]: direct ? String(ROUTER_LOG_FD) : '' });
  w.on('message', (m: FromWorker) => onWorkerMessage(w, m));
  hello.add(w);
  w.on('exit', () => {
    if (direct) {
      // A worker that died mid-write left part of a line: end it, so it cannot join its successor's first line
      // (the control plane drops what is not a whole line).
      try {
        writeSync(logFd!, '\n');
      } catch {
        /* the pipe is full or gone: the control plane resets on its side too */
      }
    }
    workers.delete(w);
    hello.delete(w);
    listening.delete(w);
    if (workers.size === 0 && publicPort !== 0) pinPublicPort = true;
    dynosApplied.delete(w);
    reportDynosApplied();
    // A worker that died is replaced; the others keep serving meanwhile.
    if (!stopping) setTimeout(fork, 200).unref();
  });
}

function onWorkerMessage(w: Worker, m: FromWorker): void {
  switch (m.type) {
    case 'hello':
      // Config goes out only once the worker listens for it.
      workers.add(w);
      if (config) w.send({ type: 'config', config: forWorkers(config) } satisfies ToGateway);
      w.send({ type: 'dynos', dynos, seq: dynosSeq } satisfies ToGateway);
      w.send({ type: 'counter-totals', totals: hub.snapshot() } satisfies ToGateway);
      break;
    case 'dynos-applied':
      dynosApplied.set(w, Math.max(m.seq, dynosApplied.get(w) ?? 0));
      reportDynosApplied();
      break;
    case 'logs':
    case 'warn':
      toParent(m);
      break;
    case 'swapped':
      toParent(m);
      break;
    case 'listening':
      publicPort = m.port;
      listening.add(w);
      if (!readySent && listening.size >= (config?.workers ?? 1)) {
        readySent = true;
        toParent({ type: 'ready', port: publicPort, admin: admin?.port, workers: workers.size });
      }
      break;
    case 'counters':
      // Node-wide counters (rate limits): every worker learns the new totals.
      broadcast({ type: 'counter-totals', totals: hub.add(m.deltas) });
      break;
    case 'metrics': {
      const wait = metricsWaits.get(m.id);
      if (!wait) break;
      wait.got.push(m.snapshot);
      if (wait.got.length >= wait.want) {
        metricsWaits.delete(m.id);
        wait.done(sumSnapshots(wait.got));
      }
      break;
    }
  }
}

/**
 * Reports the newest dyno table every worker routes by. Only workers that said hello count: one forked later
 * gets the current table before its config, so it never serves with an older one; one that exited routes nothing.
 */
function reportDynosApplied(): void {
  let seq = dynosSeq;
  for (const w of workers) seq = Math.min(seq, dynosApplied.get(w) ?? 0);
  if (seq <= dynosReported) return;
  dynosReported = seq;
  toParent({ type: 'dynos-applied', seq });
}

/** Sums every worker's metrics (answers within 1 s with what arrived). */
function collectMetrics(): Promise<MetricsSnapshot> {
  const id = ++metricsSeq;
  return new Promise((resolve) => {
    const want = [...workers].filter((w) => w.isConnected());
    if (want.length === 0) return resolve({});
    metricsWaits.set(id, { got: [], want: want.length, done: resolve });
    for (const w of want) w.send({ type: 'metrics-req', id } satisfies ToGateway);
    setTimeout(() => {
      const wait = metricsWaits.get(id);
      if (wait) {
        metricsWaits.delete(id);
        resolve(sumSnapshots(wait.got));
      }
    }, 1000).unref();
  });
}

/**
 * The config as workers get it: a public port of 0 ("any free port") pinned to the port the workers got once no
 * worker holds the shared handle any more (pinPublicPort). A worker already listening keeps its listener either
 * way (worker.ts).
 */
function forWorkers(c: GatewayRuntimeConfig): GatewayRuntimeConfig {
  return c.listen.port === 0 && pinPublicPort ? { ...c, listen: { ...c.listen, port: publicPort } } : c;
}

let admin: AdminServer | undefined;
const hub = new CounterHub();

/** Applies a config: from the control plane, or from an admin API change. */
function apply(next: GatewayRuntimeConfig, fromAdmin: boolean): void {
  config = next;
  broadcast({ type: 'config', config: forWorkers(config) });
  if (fromAdmin) toParent({ type: 'entities', entities: next.entities });
}

process.on('message', async (raw) => {
  const msg = raw as ToGateway;
  if (msg.type === 'config') {
    const first = config === undefined;
    if (first && msg.config.admin) {
      admin = new AdminServer(msg.config.admin.token, {
        config: () => config!,
        apply: (c) => apply(c, true),
        metrics: collectMetrics,
        status: () => ({ workers: workers.size, listening: listening.size, port: publicPort, dynos: dynos.length }),
      });
      await admin.listen(msg.config.admin.port);
    }
    apply(msg.config, false);
    if (first) for (let i = 0; i < msg.config.workers; i++) fork();
  } else if (msg.type === 'dynos') {
    dynos = msg.dynos;
    if (msg.seq !== undefined) dynosSeq = msg.seq;
    broadcast(msg);
    reportDynosApplied(); // at once when no worker runs yet
  } else if (msg.type === 'shutdown') shutdown();
});

function shutdown(): void {
  if (stopping) return;
  stopping = true;
  broadcast({ type: 'shutdown' });
  admin?.close();
  const deadline = setTimeout(() => process.exit(0), 12_000);
  deadline.unref();
  const check = setInterval(() => {
    if (hello.size === 0) {
      clearInterval(check);
      process.exit(0);
    }
  }, 50);
}
toParent({ type: 'hello' });
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
