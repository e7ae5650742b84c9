/**
 * A gateway worker: serves the public listener and the internal router's listeners with the current
 * compiled config. A new config is compiled off to the side and swapped in one assignment, so requests
 * in flight finish with the table they started on.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
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

interface Listener {
  server: Server;
  internal: boolean;
  port: number;
}

export class GatewayWorker implements RouterContext {
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
  ) {
    this.shared = new SharedCounters((deltas) => this.send({ type: 'counters', deltas }));
    this.compiler = new Compiler(plugins, this.upstreams, this.metrics, this.shared);
    this.logs = new LogBatcher((b) => this.send(b));
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
      const server = this.createServer(w.internal);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(w.port, w.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const port = (server.address() as { port: number }).port;
      this.listeners.set(key, { server, internal: w.internal, port });
    }
    if (changed) {
      const pub = this.listeners.get(`${config.listen.host}:${config.listen.port}`)!;
      this.send({ type: 'listening', port: pub.port, internal: config.internal.map((i) => i.port) });
    }
  }

  private createServer(internal: boolean): Server {
    const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 });
    const rc: RouterContext = this;
    let port = 0;
    server.on('listening', () => {
      port = (server.address() as { port: number }).port;
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => handleRequest(rc, req, res, port, internal));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(rc, req, socket, head, port, internal));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.clientError(err, socket));
    return server;
  }

  /** Malformed requests get a 4xx and a router line; the worker keeps serving everyone else. */
  private clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    const code = err.code ?? '';
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const text = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
    if (socket.writable && !(socket as { _httpMessage?: unknown })._httpMessage) {
      const body = JSON.stringify({ message: text });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    } else socket.destroy();
    if (code === 'ECONNRESET') return;
    this.counters.requests++;
    this.logs.push(
      '',
      formatRouterLine({
        method: '-',
        path: '-',
        host: '-',
        requestId: '-',
        fwd: (socket as { remoteAddress?: string }).remoteAddress ?? '',
        dyno: '',
        connect: 0,
        service: 0,
        status,
        bytes: 0,
        app: '',
        error: { code: 'H400', status, desc: `Bad request: ${code || err.message}` },
      }),
    );
  }

  /** Stops accepting, lets requests in flight finish (up to `graceMs`), flushes logs. */
  async close(graceMs = 10_000): Promise<void> {
    const closing = [...this.listeners.values()].map((l) => new Promise<void>((r) => l.server.close(() => r())));
    for (const l of this.listeners.values()) l.server.closeIdleConnections();
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.logs.flush();
  }
}
