/**
 * Test support for the gateway suites: starts the real gateway parent (main.ts → cluster workers) with a
 * config over IPC, and real backend processes. Every process is its own group, killed in `stop()`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DynoTarget, GatewayEntities, GatewayRuntimeConfig } from '../packages/spaceport/src/gateway/entities.js';
import type { FromGateway } from '../packages/spaceport/src/gateway/ipc.js';
import { batchLines } from '../packages/spaceport/src/gateway/proxy/router-log.js';
import { ROUTER_LOG_FD, ROUTER_LOG_FD_ENV, RouterLineReader } from '../packages/spaceport/src/gateway/router-log-pipe.js';
import type { Readable } from 'node:stream';

const root = fileURLToPath(new URL('..', import.meta.url));
const children = new Set<ChildProcess>();

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Backend {
  port: number;
  proc: ChildProcess;
  stop(): void;
}

/** A plain Node http backend process (fixtures/gateway-backend.mjs), or another fixture. */
export async function startBackend(dyno = 'web.1', env: Record<string, string> = {}, port = 0, fixture = 'gateway-backend.mjs'): Promise<Backend> {
  const proc = fork(`${root}e2e/fixtures/${fixture}`, [], { env: { ...process.env, DYNO: dyno, PORT: String(port), ...env }, detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(proc);
  const got = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { port: number }).port));
    proc.once('exit', (c) => reject(new Error(`backend exited with ${c}`)));
  });
  return { port: got, proc, stop: () => kill(proc) };
}

export interface Gateway {
  port: number;
  adminPort: number;
  adminToken: string;
  key: string;
  proc: ChildProcess;
  logs: string[];
  /** How many router lines came over the router-log pipe (a lone worker) and how many as IPC batches. */
  via: { pipe: number; ipc: number };
  config: GatewayRuntimeConfig;
  setDynos(d: DynoTarget[]): void;
  setConfig(c: GatewayRuntimeConfig): Promise<{ ms: number; cpuMs: number; routes: number; errors: string[] }>;
  /** Resolves with the first router line matching `re` (waits up to 3 s). */
  waitLog(re: RegExp): Promise<string>;
  stop(): void;
}

export function emptyEntities(): GatewayEntities {
  return { services: [], routes: [], consumers: [], plugins: [] };
}

/** Starts the gateway with `entities` and `dynos`; listens on a fresh port. */
export async function startGateway(opts: {
  entities: GatewayEntities;
  dynos?: DynoTarget[];
  apps?: GatewayRuntimeConfig['apps'];
  internal?: GatewayRuntimeConfig['internal'];
  workers?: number;
  host?: string;
  /** Listen on port 0 (any free port), as `listen: 0` in a space; gw.port is the port the gateway reports. */
  anyPort?: boolean;
}): Promise<Gateway> {
  let port = opts.anyPort ? 0 : await freePort();
  let adminPort = await freePort();
  const key = randomBytes(32).toString('hex');
  const adminToken = randomBytes(16).toString('hex');
  const config: GatewayRuntimeConfig = {
    entities: opts.entities,
    internalApiKey: key,
    listen: { host: opts.host ?? '127.0.0.1', port },
    internal: opts.internal ?? [],
    apps: opts.apps ?? {},
    admin: { port: adminPort, token: adminToken },
    workers: opts.workers ?? 1,
  };
  // As the control plane starts it (gateway/service.ts): V8 serialization, and the router-log pipe on fd 4.
  const proc = fork(`${root}packages/spaceport/src/gateway/main.ts`, [], {
    execArgv: ['--import', 'tsx'],
    detached: true,
    env: { ...process.env, [ROUTER_LOG_FD_ENV]: String(ROUTER_LOG_FD) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    serialization: 'advanced',
  });
  children.add(proc);
  const logs: string[] = [];
  const via = { pipe: 0, ipc: 0 };
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let swapped: ((m: { ms: number; cpuMs: number; routes: number; errors: string[] }) => void) | undefined;
  const routerLine = (time: string, app: string, message: string) => {
    const line = `${time} router[${app}]: ${message}`;
    logs.push(line);
    for (const w of [...waiters]) if (w.re.test(line)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const pipeLines = new RouterLineReader((time, app, message) => {
    via.pipe++;
    routerLine(time, app, message);
  });
  (proc.stdio[4] as Readable).on('data', (b: Buffer) => pipeLines.push(b));
  proc.on('message', (raw) => {
    const m = raw as FromGateway;
    if (m.type === 'logs') {
      for (const [time, app, message] of batchLines(m)) {
        via.ipc++;
        routerLine(time, app, message);
      }
    } else if (m.type === 'swapped') swapped?.(m);
    else if (m.type === 'warn') logs.push(`warn: ${m.message}`);
  });
  let rebinds = 0;
  const ready = new Promise<void>((resolve, reject) => {
    proc.on('message', (m) => {
      const msg = m as FromGateway;
      if (msg.type === 'ready') {
        port = msg.port;
        resolve();
      } else if (msg.type === 'warn' && /config rejected/.test(msg.message)) {
        // A port freePort() found free was taken before the gateway bound it (another suite's listener or
        // outgoing connection): the same config again on a fresh port. Anything else fails at once, not after
        // the test runner's timeout.
        const taken = Number(/EADDRINUSE [\d.]+:(\d+)/.exec(msg.message)?.[1] ?? NaN);
        if (rebinds++ >= 3 || (taken !== config.listen.port && taken !== adminPort)) {
          reject(new Error(`the gateway rejected its config: ${msg.message}`));
          return;
        }
        void (async () => {
          if (taken === config.listen.port) config.listen = { ...config.listen, port: await freePort() };
          else config.admin = { port: (adminPort = await freePort()), token: adminToken };
          proc.send({ type: 'config', config });
        })();
      }
    });
    proc.once('exit', (c) => reject(new Error(`gateway exited with ${c}`)));
  });
  await new Promise<void>((resolve) => proc.on('message', (m) => (m as FromGateway).type === 'hello' && resolve()));
  proc.send({ type: 'config', config });
  proc.send({ type: 'dynos', dynos: opts.dynos ?? [] });
  await ready;
  const gw: Gateway = {
    port,
    adminPort,
    adminToken,
    key,
    proc,
    logs,
    via,
    config,
    setDynos: (d) => proc.send({ type: 'dynos', dynos: d }),
    setConfig: (c) =>
      new Promise((resolve) => {
        swapped = resolve;
        gw.config = c;
        proc.send({ type: 'config', config: c });
      }),
    waitLog: (re) => {
      const hit = logs.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { re, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`no router line matched ${re}; got:\n${logs.join('\n')}`)), 3000).unref();
      });
    },
    stop: () => kill(proc),
  };
  return gw;
}

function kill(proc: ChildProcess): void {
  children.delete(proc);
  if (proc.pid === undefined || proc.exitCode !== null) return;
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Kills every process this module started (call in `after`). */
export function stopAll(): void {
  for (const c of [...children]) kill(c);
}

/** A service + route pair to an app's web dynos. */
export function appService(name: string, app: string, route: Partial<import('../packages/spaceport/src/gateway/entities.js').RouteEntity> = {}, svc: Partial<import('../packages/spaceport/src/gateway/entities.js').ServiceEntity> = {}) {
  const service = {
    id: `svc-${name}`,
    name,
    app,
    process: 'web',
    expose_internal: false,
    retries: 5,
    connect_timeout: 2000,
    read_timeout: 30000,
    write_timeout: 30000,
    load_balancing: 'round-robin' as const,
    tags: [],
    ...svc,
  };
  const r = {
    id: `route-${name}`,
    name,
    service: service.id,
    hosts: [],
    paths: [],
    methods: [],
    headers: {},
    strip_path: true,
    preserve_host: false,
    regex_priority: 0,
    tags: [],
    ...route,
  };
  return { service, route: r };
}

/** Fetch with a Host header (undici's fetch forbids setting Host, so this uses node:http). */
export function request(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; json: <T = EchoBody>() => T }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T,>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** What fixtures/gateway-backend.mjs answers (and the gateway's JSON errors). */
export interface EchoBody {
  dyno: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  message?: string;
  code?: string;
}
