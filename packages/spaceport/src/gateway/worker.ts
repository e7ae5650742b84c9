/**
 * A gateway worker: serves the public listener and the internal router's listeners with the current
 * compiled config. A new config is compiled off to the side and swapped in one assignment, so requests
 * in flight finish with the table they started on.
 */
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { Compiler, type CompiledGateway } from './compile.js';
import type { DynoTarget, GatewayRuntimeConfig } from './entities.js';
import type { FromWorker } from './ipc.js';
import { MetricsRegistry } from './metrics.js';
import { SharedCounters } from './shared-counters.js';
import type { LoadedPlugin } from './plugins/catalog.js';
import { handleRequest, type RouterContext } from './proxy/forward.js';
import { LogBatcher } from './proxy/router-log.js';
import { Upstreams } from './proxy/upstream.js';
import { handleUpgrade } from './proxy/websocket.js';
import { formatRouterLine } from './proxy/router-log.js';
import type { ClientConn, ServerHandler } from './server/client-conn.js';
import { closeIdleConnections, HttpServer } from './server/http-server.js';
import type { RequestHead } from './server/request-head.js';
import type { ParseError } from './server/request-parser.js';

interface Listener {
  server: HttpServer;
  internal: boolean;
  host: string;
  port: number;
}

export class GatewayWorker implements RouterContext, ServerHandler {
  readonly upstreams = new Upstreams();
  readonly metrics = new MetricsRegistry();
  readonly logs: LogBatcher;
  readonly counters = { requests: 0, errors: {} as Record<string, number> };
  readonly logger = { warn: (message: string) => this.send({ type: 'warn', message }) };
  readonly shared: SharedCounters;
  private compiled: CompiledGateway | undefined;
  private readonly compiler: Compiler;
  private readonly listeners = new Map<string, Listener>();

  constructor(
    plugins: ReadonlyMap<string, LoadedPlugin>,
    private readonly send: (msg: FromWorker) => void,
    /** The control plane's router-log pipe (router-log-pipe.ts), when this worker writes its lines there. */
    routerLog?: Writable,
  ) {
    this.shared = new SharedCounters((deltas) => this.send({ type: 'counters', deltas }));
    this.compiler = new Compiler(plugins, this.upstreams, this.metrics, this.shared);
    this.logs = new LogBatcher((b) => this.send(b), routerLog);
  }

  current(): CompiledGateway {
    return this.compiled!;
  }

  /** Compiles and swaps in a config, then opens or closes listeners to match it. */
  async configure(config: GatewayRuntimeConfig): Promise<void> {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    this.upstreams.internalApiKey = config.internalApiKey;
    this.shared.shared = config.workers > 1;
    const next = this.compiler.compile(config);
    this.compiled = next;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    await this.listen(config);
    // Wall time depends on what else the machine runs; CPU time is the gateway's own cost of the swap.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    this.send({ type: 'swapped', ms: Math.round(ms * 10) / 10, cpuMs: Math.round(cpuMs * 10) / 10, routes: next.table.size, errors: next.errors });
  }

  setDynos(dynos: DynoTarget[]): void {
    this.upstreams.setDynos(dynos);
  }

  private async listen(config: GatewayRuntimeConfig): Promise<void> {
    const want = new Map<string, { host: string; port: number; internal: boolean }>();
    want.set(`${config.listen.host}:${config.listen.port}`, { ...config.listen, internal: false });
    for (const i of config.internal) want.set(`127.0.0.1:${i.port}`, { host: '127.0.0.1', port: i.port, internal: true });
    // A public port of 0 ("any free port") comes back pinned to the port it got (main.ts): the same listener.
    const pubKey = `${config.listen.host}:${config.listen.port}`;
    for (const [key, l] of this.listeners) {
      if (key !== pubKey && !l.internal && l.host === config.listen.host && l.port === config.listen.port && !this.listeners.has(pubKey)) {
        this.listeners.delete(key);
        this.listeners.set(pubKey, l);
      }
    }
    for (const [key, l] of this.listeners) {
      if (!want.has(key)) {
        l.server.close();
        this.listeners.delete(key);
      }
    }
    let changed = false;
    for (const [key, w] of want) {
      if (this.listeners.has(key)) continue;
      changed = true;
      const server = new HttpServer(this, w.internal);
      const port = await server.listen(w.port, w.host);
      this.listeners.set(key, { server, internal: w.internal, host: w.host, port });
    }
    if (changed) {
      const pub = this.listeners.get(pubKey)!;
      this.send({ type: 'listening', port: pub.port, internal: config.internal.map((i) => i.port) });
    }
  }

  // ServerHandler: what the HTTP server hands over.
  request(conn: ClientConn, head: RequestHead): void {
    handleRequest(this, conn, head);
  }

  upgrade(conn: ClientConn, head: RequestHead, socket: Socket, rest: Buffer): void {
    handleUpgrade(this, conn, head, socket, rest);
  }

  /** Malformed requests got a 4xx from the server; here they get a router line. The worker keeps serving everyone else. */
  badRequest(conn: ClientConn, err: ParseError): void {
    this.counters.requests++;
    this.logs.push(
      '',
      formatRouterLine({
        method: '-',
        path: '-',
        host: '-',
        requestId: '-',
        fwd: conn.ip,
        dyno: '',
        connect: 0,
        service: 0,
        status: err.status,
        bytes: 0,
        app: '',
        error: { code: 'H400', status: err.status, desc: `Bad request: ${err.message}` },
      }),
    );
  }

  /** Stops accepting, lets requests in flight finish (up to `graceMs`), flushes logs. */
  async close(graceMs = 10_000): Promise<void> {
    const closing = [...this.listeners.values()].map((l) => new Promise<void>((r) => l.server.close(() => r())));
    closeIdleConnections();
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, graceMs).unref())]);
    await this.logs.drain(1000);
  }
}
