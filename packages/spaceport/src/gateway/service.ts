/**
 * The gateway as a platform service: starts the gateway parent (which forks the workers) through the
 * Supervisor, pushes it the compiled-ready config and every dyno table (answering the runtime once every
 * worker has one, so a stopping dyno gets its SIGTERM only after that), relays router log lines to the space log, gives each app `<APP>_URL` for every internal app, and adds `GET /v1/gateway/routes`.
 */
import { cpus } from 'node:os';
import type { ResolvedApp, Space } from '../config/load.js';
import type { PlatformService, ServiceContext, ServiceFactory } from '../control/service.js';
import type { DynoInfo } from '../runtime/dyno.js';
import type { SupervisedChild } from '../runtime/supervisor-types.js';
import { ensureAdminToken } from './admin-token.js';
import type { DynoTarget, GatewayEntities, GatewayRuntimeConfig } from './entities.js';
import { appInfo, entitiesFromSpace, internalUrlVar, parseListen } from './from-space.js';
import type { FromGateway, ToGateway } from './ipc.js';
import { routeRows } from './route-listing.js';
import { batchLines } from './proxy/router-log.js';
import { ROUTER_LOG_FD, ROUTER_LOG_FD_ENV, RouterLineReader } from './router-log-pipe.js';

const DEFAULT_LISTEN = '127.0.0.1:8000';
const PUBLIC_PORT_KEY = 'gateway:public';

export class GatewayService implements PlatformService {
  readonly name = 'gateway';
  private child: SupervisedChild | undefined;
  private config: GatewayRuntimeConfig | undefined;
  private entities: GatewayEntities | undefined;
  private internalPorts = new Map<string, number>();
  private publicPort = 0;
  private adminPort = 0;
  /** Whether the default listen address still tries :8000 first (false after a bind race lost it). */
  private preferDefaultPort = true;
  private ready = false;
  private lastSwap: { ms: number; cpuMs: number; routes: number; errors: string[] } | undefined;
  private onReady: ((err?: Error) => void) | undefined;
  /** Number of the last dyno table sent; tables the runtime waits for, until the gateway applied them. */
  private dynosSeq = 0;
  private dynosWaits: { seq: number; done: () => void }[] = [];

  constructor(private readonly ctx: ServiceContext) {
    ctx.control.add('GET', '/v1/gateway/routes', () => routeRows(this.entities ?? entitiesFromSpace(this.ctx.space)));
    ctx.control.add('GET', '/v1/gateway', () => this.status());
    ctx.onDynos((d) => this.publishDynos(d));
  }

  private async build(space: Space): Promise<GatewayRuntimeConfig> {
    const gw = space.config.gateway;
    const internal: { app: string; port: number }[] = [];
    // The file's internal apps now: an app renamed (moved:), removed or made public by apply leaves the list, so
    // no dyno gets its <APP>_URL, whose listener is closed (it stayed, in env and status, pointing at nothing).
    const ports = new Map<string, number>();
    for (const [name, app] of Object.entries(space.config.apps)) {
      if (!app.internal) continue;
      const port = await this.ctx.port(`internal:${name}`);
      ports.set(name, port);
      internal.push({ app: name, port });
    }
    this.internalPorts = ports;
    this.adminPort = await this.ctx.port('gateway:admin');
    let listen = parseListen(gw.listen ?? DEFAULT_LISTEN);
    if (gw.listen === undefined) {
      // The default address yields to a busy :8000 (another space, another tool) with a stable port of its
      // own, recorded in state; an address written in the config is used as is, or fails clearly.
      listen = { host: '127.0.0.1', port: await this.ctx.port(PUBLIC_PORT_KEY, this.preferDefaultPort ? 8000 : undefined) };
    }
    return {
      entities: entitiesFromSpace(space),
      internalApiKey: this.ctx.internalApiKey,
      listen,
      internal,
      apps: appInfo(space),
      admin: { port: this.adminPort, token: ensureAdminToken(space.stateDir) },
      workers: gw.workers ?? Math.max(1, cpus().length),
    };
  }

  async start(): Promise<void> {
    try {
      await this.startOnce();
    } catch (err) {
      if (this.ctx.space.config.gateway.listen !== undefined || !/EADDRINUSE/.test(String(err))) throw err;
      // The port chosen for the default address was free when checked but taken at bind time (another space
      // starting at the same moment, or a program that took the recorded port since): move to a fresh port.
      await this.stop();
      this.ctx.state.update((s) => {
        delete s.ports[PUBLIC_PORT_KEY];
      });
      this.preferDefaultPort = false;
      await this.startOnce();
    }
  }

  private async startOnce(): Promise<void> {
    this.config = await this.build(this.ctx.space);
    this.entities = this.config.entities;
    const main = this.ctx.supervisor.nodeMain('gateway/main.ts');
    const routerLine = (time: string, app: string, message: string) => this.ctx.log.write({ time, source: 'router', app, dyno: 'router', message });
    const readyP = new Promise<void>((resolve, reject) => {
      this.onReady = (err) => (err ? reject(err) : resolve());
    });
    this.child = this.ctx.supervisor.start({
      name: 'gateway:main',
      logApp: 'gateway',
      logDyno: 'gateway',
      logSource: 'spaceport',
      command: main.command,
      args: main.args,
      cwd: this.ctx.space.dir,
      // The internal key and admin token travel over IPC only, never in env or argv.
      // ROUTER_LOG_FD_ENV: a lone worker writes its router lines straight into the pipe on fd 4 (onPipe).
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: process.env.NODE_ENV ?? 'production', [ROUTER_LOG_FD_ENV]: String(ROUTER_LOG_FD) },
      restart: true,
      stopTimeoutMs: 15_000,
      ipc: true,
      // V8 serialization: router line batches are large strings full of quotes, which JSON escapes char by char
      // in the gateway's main process (on the gateway's core) and unescapes here: ~0.8 µs per request (A/B in docs/gateway.md).
      serialization: 'advanced',
      onMessage: (m) => this.onMessage(m as FromGateway),
      // One reader per pipe (per start): a worker still draining into an old pipe cannot cut the new one's lines.
      onPipe: (pipe) => {
        const lines = new RouterLineReader(routerLine);
        pipe.on('data', (b: Buffer) => lines.push(b));
      },
    });
    // A gateway that exited routes nothing (its workers go with it): stops stop waiting for it until its restart says hello.
    this.child.on('exit', () => {
      this.ready = false;
      this.dynosApplied(Infinity);
    });
    const timeout = setTimeout(() => this.onReady?.(new Error('the gateway did not start listening within 30 s; see `spaceport logs`')), 30_000);
    try {
      await readyP;
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * Sends a dyno table; the promise resolves once every worker routes by it. None when no gateway runs (nothing
   * routes, so nothing to wait for); a gateway that exits meanwhile releases its waits the same way.
   */
  private publishDynos(dynos: readonly DynoInfo[]): Promise<void> | undefined {
    if (!this.child || !this.ready) return undefined;
    const seq = ++this.dynosSeq;
    this.child.send({ type: 'dynos', dynos: targets(dynos), seq } satisfies ToGateway);
    return new Promise((done) => this.dynosWaits.push({ seq, done }));
  }

  private dynosApplied(seq: number): void {
    const still: typeof this.dynosWaits = [];
    for (const w of this.dynosWaits) (w.seq <= seq ? w.done() : still.push(w));
    this.dynosWaits = still;
  }

  private send(msg: ToGateway): void {
    if (this.child && this.ready) this.child.send(msg);
  }

  private onMessage(m: FromGateway): void {
    switch (m.type) {
      case 'hello':
        // A (re)started gateway gets the config and the dyno table; it holds no state of its own.
        this.ready = true;
        this.child?.send({ type: 'config', config: { ...this.config!, entities: this.entities ?? this.config!.entities } } satisfies ToGateway);
        this.child?.send({ type: 'dynos', dynos: targets(this.ctx.dynos()), seq: ++this.dynosSeq } satisfies ToGateway);
        break;
      case 'ready':
        this.publicPort = m.port;
        this.ctx.log.write({ source: 'spaceport', app: 'gateway', dyno: 'gateway', message: `Gateway listening on http://${this.config!.listen.host}:${m.port} (${m.workers} workers), admin API on 127.0.0.1:${m.admin ?? '-'}` });
        this.onReady?.();
        this.onReady = undefined;
        break;
      case 'dynos-applied':
        this.dynosApplied(m.seq);
        break;
      case 'logs':
        for (const [time, app, message] of batchLines(m)) this.ctx.log.write({ time, source: 'router', app, dyno: 'router', message });
        break;
      case 'swapped':
        this.lastSwap = { ms: m.ms, cpuMs: m.cpuMs, routes: m.routes, errors: m.errors };
        for (const e of m.errors) this.ctx.log.write({ source: 'spaceport', app: 'gateway', dyno: 'gateway', message: `Error: ${e}` });
        break;
      case 'entities':
        this.entities = m.entities;
        break;
      case 'warn':
        this.ctx.log.write({ source: 'spaceport', app: 'gateway', dyno: 'gateway', message: m.message });
        if (this.onReady && /config rejected/.test(m.message)) {
          this.onReady(new Error(`${m.message}${/EADDRINUSE/.test(m.message) ? ' (another process uses the port: stop it or change gateway.listen)' : ''}`));
          this.onReady = undefined;
        }
        break;
    }
  }

  async stop(): Promise<void> {
    await this.child?.stop();
    this.child = undefined;
    this.ready = false;
    this.dynosApplied(Infinity);
  }

  // Every app gets the URL of every internal app (its own too: harmless, and simple to reason about).
  envFor(_app: ResolvedApp): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, port] of this.internalPorts) env[internalUrlVar(name)] = `http://127.0.0.1:${port}`;
    return env;
  }

  /**
   * The apps changed (apply created, removed or renamed one): the default routes follow the file's apps, and every
   * other entity stays as the gateway holds it now. Those are apply's to change one by one through the admin API
   * (plan/providers/gateway.ts): taking the whole file here installed routes and plugins a targeted apply had not
   * targeted, made apply's own POST of a new route or plugin fail with 409 (it was there already), and dropped
   * admin-API changes the plan had just shown.
   */
  async reconfigure(space: Space): Promise<void> {
    this.config = await this.build(space);
    if (this.entities) this.config.entities = withFileDefaults(this.entities, this.config.entities);
    this.entities = this.config.entities;
    this.send({ type: 'config', config: this.config });
  }

  status(): Record<string, unknown> {
    const host = this.config?.listen.host ?? '127.0.0.1';
    return {
      listen: this.publicPort ? `http://${host}:${this.publicPort}` : null,
      admin: this.adminPort ? `http://127.0.0.1:${this.adminPort}` : null,
      internal: Object.fromEntries([...this.internalPorts].map(([a, p]) => [a, `http://127.0.0.1:${p}`])),
      workers: this.config?.workers ?? 0,
      routes: this.entities?.routes.length ?? 0,
      lastSwapMs: this.lastSwap?.ms ?? null,
      lastSwapCpuMs: this.lastSwap?.cpuMs ?? null,
      errors: this.lastSwap?.errors ?? [],
    };
  }
}

const isDefault = (e: { tags: string[] }) => e.tags.includes('default');

/** `live`'s entities with the default (per-app) services and routes of `file`; plugins left without a scope go. */
function withFileDefaults(live: GatewayEntities, file: GatewayEntities): GatewayEntities {
  const services = [...file.services.filter(isDefault), ...live.services.filter((e) => !isDefault(e))];
  const routes = [...file.routes.filter(isDefault), ...live.routes.filter((e) => !isDefault(e))];
  const ids = new Set([...services, ...routes, ...live.consumers].map((e) => e.id));
  const plugins = live.plugins.filter((p) => [p.service, p.route, p.consumer].every((id) => id === undefined || ids.has(id)));
  return { services, routes, consumers: live.consumers, plugins };
}

function targets(dynos: readonly DynoInfo[]): DynoTarget[] {
  return dynos.map((d) => ({ app: d.app, type: d.type, dyno: d.dyno, port: d.port, state: d.state }));
}

/** The gateway's ServiceFactory: one service, always (every public app has a default route). */
export const gatewayServices: ServiceFactory = (ctx) => [new GatewayService(ctx)];
