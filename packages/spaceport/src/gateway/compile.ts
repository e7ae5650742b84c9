/**
 * Compiles entities into what a worker serves: the route table, each route's plugin chain, each
 * service's upstream group, the internal router's targets and the consumer directory. A compiled
 * config is immutable; the worker swaps the reference, so in-flight requests finish on the old one.
 * Plugin instances are reused across swaps while their config is unchanged (rate-limit counters survive).
 */
import type { ConsumerEntity, GatewayRuntimeConfig, PluginEntity, RouteEntity, ServiceEntity } from './entities.js';
import { defaultService } from './from-space.js';
import type { LoadedPlugin } from './plugins/catalog.js';
import type { Counters, Metrics, PluginConsumer, PluginEnv, PluginHandler } from './plugins/types.js';
import { SharedCounters } from './shared-counters.js';
import { RouteTable } from './routing/route-table.js';
import type { UpstreamGroup, Upstreams } from './proxy/upstream.js';

export interface CompiledService {
  readonly entity: ServiceEntity;
  readonly group: UpstreamGroup;
  /** App name for router log lines (the service name for URL services). */
  readonly logApp: string;
  /** Prefix added to the upstream path ('' for none). */
  readonly pathPrefix: string;
  readonly tls: boolean;
  /** Host header sent upstream when the route does not preserve the client's. */
  readonly upstreamHost: string | undefined;
  /** Targets an internal app without expose_internal: its routes are dropped (404), never proxied. */
  readonly hidden: boolean;
}

export interface RouteValue {
  readonly routeName: string;
  readonly service: CompiledService;
  readonly plugins: readonly PluginHandler[];
  readonly preserveHost: boolean;
  /** Plugins scoped to a consumer (and possibly this route/service): consumer id → handlers. */
  readonly consumerPlugins: ReadonlyMap<string, readonly PluginHandler[]> | null;
}

export interface CompiledGateway {
  readonly table: RouteTable<RouteValue>;
  /** Internal router: listener port → target. */
  readonly internal: ReadonlyMap<number, RouteValue>;
  readonly config: GatewayRuntimeConfig;
  /** Problems found while compiling (a plugin that refused its options); the rest keeps serving. */
  readonly errors: string[];
}

interface CachedPlugin {
  json: string;
  handler: PluginHandler;
}

/** Builds compiled configs; keeps plugin instances between builds. */
export class Compiler {
  private cache = new Map<string, CachedPlugin>();
  /** The consumers of the latest compile. Cached plugin instances look them up through `liveEnv`, so a
   * consumer changed through the admin API (a key, a basic-auth password) reaches them too. */
  private consumers: PluginEnv | undefined;
  private readonly liveEnv = {
    consumerByKey: (k: string) => this.consumers?.consumerByKey(k),
    consumerByBasic: (u: string, p: string) => this.consumers?.consumerByBasic(u, p),
    consumerByName: (n: string) => this.consumers?.consumerByName(n),
  };
  constructor(
    private readonly plugins: ReadonlyMap<string, LoadedPlugin>,
    private readonly upstreams: Upstreams,
    private readonly metrics: Metrics,
    private readonly counters: Counters = localCounters(),
  ) {}

  compile(config: GatewayRuntimeConfig): CompiledGateway {
    const errors: string[] = [];
    const e = config.entities;
    this.consumers = consumerEnv(e.consumers, this.metrics, this.counters);
    const env: PluginEnv = { ...this.consumers, ...this.liveEnv };
    const nextCache = new Map<string, CachedPlugin>();
    const instance = (p: PluginEntity): PluginHandler => {
      const json = JSON.stringify(p.config);
      const hit = this.cache.get(p.id) ?? nextCache.get(p.id);
      if (hit && hit.json === json && !p.consumer) {
        nextCache.set(p.id, hit);
        return hit.handler;
      }
      let handler: PluginHandler;
      const loaded = this.plugins.get(p.name);
      try {
        if (!loaded) throw new Error(`unknown plugin "${p.name}"`);
        const parsed = loaded.schema.safeParse(p.config);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; '));
        handler = loaded.create(parsed.data as Record<string, unknown>, { ...env, instanceId: p.id });
      } catch (err) {
        // Fail closed: a route whose auth plugin is broken must not become open.
        errors.push(`plugin ${p.name} (${p.id}): ${(err as Error).message}`);
        handler = brokenPlugin(p.name);
      }
      nextCache.set(p.id, { json, handler });
      return handler;
    };

    const services = new Map<string, CompiledService>();
    for (const s of e.services) services.set(s.id, this.service(s, config));
    // Plugins indexed by scope once, so each route looks at its own few instead of all of them.
    const global: PluginEntity[] = [];
    const byRoute = new Map<string, PluginEntity[]>();
    const byService = new Map<string, PluginEntity[]>();
    for (const p of e.plugins) {
      if (!p.enabled) continue;
      const key = p.route ?? p.service;
      const map = p.route !== undefined ? byRoute : p.service !== undefined ? byService : undefined;
      if (map === undefined || key === undefined) global.push(p);
      else {
        const list = map.get(key);
        if (list) list.push(p);
        else map.set(key, [p]);
      }
    }
    const routeValue = (route: RouteEntity): RouteValue => {
      const service = services.get(route.service)!;
      const chosen = new Map<string, { p: PluginEntity; score: number }>();
      const byConsumer = new Map<string, Map<string, { p: PluginEntity; score: number }>>();
      const consider = (p: PluginEntity) => {
        if (p.route !== undefined && p.route !== route.id) return;
        if (p.service !== undefined && p.service !== route.service) return;
        const score = (p.route ? 2 : 0) + (p.service ? 1 : 0);
        const into = p.consumer === undefined ? chosen : (byConsumer.get(p.consumer) ?? byConsumer.set(p.consumer, new Map()).get(p.consumer)!);
        const prev = into.get(p.name);
        if (!prev || prev.score < score) into.set(p.name, { p, score });
      };
      for (const p of global) consider(p);
      for (const p of byService.get(route.service) ?? []) consider(p);
      for (const p of byRoute.get(route.id) ?? []) consider(p);
      const chain = [...chosen.values()].map(({ p }) => instance(p)).sort((a, b) => b.priority - a.priority);
      let consumerPlugins: Map<string, PluginHandler[]> | null = null;
      for (const [cid, m] of byConsumer) {
        consumerPlugins ??= new Map();
        consumerPlugins.set(cid, [...m.values()].map(({ p }) => instance(p)));
      }
      return { routeName: route.name, service, plugins: chain, preserveHost: route.preserve_host, consumerPlugins };
    };
    const valid = e.routes.filter((r) => {
      const svc = services.get(r.service);
      if (!svc) errors.push(`route ${r.name}: its service ${r.service} does not exist`);
      else if (svc.hidden) errors.push(`route ${r.name}: app "${svc.logApp}" is internal and service ${svc.entity.name} does not set expose_internal`);
      return svc !== undefined && !svc.hidden;
    });
    const table = new RouteTable<RouteValue>(valid, routeValue);
    const internal = new Map<number, RouteValue>();
    for (const { app, port } of config.internal) {
      const service = this.service({ ...defaultService(app), tags: ['internal-router'] }, config);
      internal.set(port, { routeName: '', service, plugins: [], preserveHost: true, consumerPlugins: null });
    }
    for (const [app, info] of Object.entries(config.apps)) {
      if (info.health) this.upstreams.setHealth(this.upstreams.forApp(app, 'web'), info.health.path, info.health.interval);
    }
    this.upstreams.refresh();
    this.cache = nextCache;
    return { table, internal, config, errors };
  }

  private service(s: ServiceEntity, config: GatewayRuntimeConfig): CompiledService {
    if (s.url) {
      const url = new URL(s.url);
      const prefix = joinPath(url.pathname === '/' ? '' : url.pathname, s.path ?? '');
      return { entity: s, group: this.upstreams.forUrl(url), logApp: s.name, pathPrefix: prefix, tls: url.protocol === 'https:', upstreamHost: url.host, hidden: false };
    }
    const app = s.app ?? s.name;
    // An internal app is reachable from the public listener only through a service that says so.
    const hidden = config.apps[app]?.internal === true && !s.expose_internal && !s.tags.includes('internal-router');
    const group = this.upstreams.forApp(app, s.process);
    return { entity: s, group, logApp: app, pathPrefix: s.path && s.path !== '/' ? s.path.replace(/\/$/, '') : '', tls: false, upstreamHost: undefined, hidden };
  }
}

function joinPath(a: string, b: string): string {
  const x = (a + (b.startsWith('/') || b === '' ? b : `/${b}`)).replace(/\/+$/, '');
  return x;
}

function brokenPlugin(name: string): PluginHandler {
  return {
    name,
    priority: 1_000_000,
    access(ctx) {
      ctx.response.exit(500, { message: `plugin ${name} is misconfigured; see the gateway log` });
    },
  };
}

/** Counters of one process, for compiles outside a worker (warm-up, tests). */
export function localCounters(): Counters {
  const sc = new SharedCounters(() => {});
  return sc;
}

function consumerEnv(consumers: readonly ConsumerEntity[], metrics: Metrics, counters: Counters): PluginEnv {
  const byKey = new Map<string, PluginConsumer>();
  const byBasic = new Map<string, { password: string; consumer: PluginConsumer }>();
  const byName = new Map<string, PluginConsumer>();
  for (const c of consumers) {
    const pc: PluginConsumer = Object.freeze({ id: c.id, username: c.username, groups: Object.freeze([...c.groups]) });
    byName.set(c.username, pc);
    byName.set(c.id, pc);
    for (const k of c.keys) byKey.set(k, pc);
    for (const b of c.basic) byBasic.set(b.username, { password: b.password, consumer: pc });
  }
  return {
    consumerByKey: (k) => byKey.get(k),
    consumerByBasic: (u, p) => {
      const hit = byBasic.get(u);
      return hit && constantTimeEqual(hit.password, p) ? hit.consumer : undefined;
    },
    consumerByName: (n) => byName.get(n),
    metrics,
    counters,
    instanceId: '',
  };
}

import { timingSafeEqual } from 'node:crypto';
function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
