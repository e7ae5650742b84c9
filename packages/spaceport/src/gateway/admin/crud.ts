/**
 * Kong-compatible admin operations on the gateway's entities. Each call takes the current entities and
 * returns the next ones (never mutates), or throws an AdminError saying what is wrong and what to do.
 */
import { randomBytes } from 'node:crypto';
import { stableId, type ConsumerEntity, type GatewayEntities, type PluginEntity, type RouteEntity, type ServiceEntity, type AppInfo } from '../entities.js';
import type { z } from 'zod';

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Kind = 'services' | 'routes' | 'consumers' | 'plugins';

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v === '') throw new AdminError(400, `${field} must be a non-empty string`);
  return v;
};
const strList = (v: unknown, field: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new AdminError(400, `${field} must be an array of strings`);
  return v as string[];
};
const ref = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Body;
    return (typeof o.id === 'string' ? o.id : undefined) ?? (typeof o.name === 'string' ? o.name : undefined) ?? (typeof o.username === 'string' ? o.username : undefined);
  }
  return undefined;
};

export function findIn<T extends { id: string }>(list: readonly T[], idOrName: string, nameOf: (t: T) => string): T | undefined {
  return list.find((x) => x.id === idOrName) ?? list.find((x) => nameOf(x) === idOrName);
}

const nameOf = {
  services: (s: ServiceEntity) => s.name,
  routes: (r: RouteEntity) => r.name,
  consumers: (c: ConsumerEntity) => c.username,
  plugins: (p: PluginEntity) => p.id,
};

export interface AdminDeps {
  apps: Record<string, AppInfo>;
  pluginSchema(name: string): z.ZodType | undefined;
  pluginNames(): string[];
}

export function toService(body: Body, prev: ServiceEntity | undefined, deps: AdminDeps): ServiceEntity {
  const m = { ...prev, ...body } as Body;
  const name = str(m.name, 'name');
  const svc: ServiceEntity = {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('service', `admin:${name}:${randomBytes(4).toString('hex')}`)),
    name,
    app: typeof m.app === 'string' ? m.app : undefined,
    process: typeof m.process === 'string' ? m.process : 'web',
    url: typeof m.url === 'string' ? m.url : undefined,
    expose_internal: m.expose_internal === true,
    path: typeof m.path === 'string' ? m.path : undefined,
    retries: typeof m.retries === 'number' ? m.retries : 5,
    connect_timeout: typeof m.connect_timeout === 'number' ? m.connect_timeout : 5000,
    read_timeout: typeof m.read_timeout === 'number' ? m.read_timeout : 30000,
    write_timeout: typeof m.write_timeout === 'number' ? m.write_timeout : 30000,
    load_balancing: m.load_balancing === 'least-connections' ? 'least-connections' : 'round-robin',
    tags: strList(m.tags, 'tags'),
  };
  if (m.max_conns !== undefined && m.max_conns !== null) {
    if (typeof m.max_conns !== 'number' || !Number.isInteger(m.max_conns) || m.max_conns < 1) throw new AdminError(400, 'max_conns is a whole number of connections per dyno, at least 1 (leave it out for no cap)');
    svc.max_conns = m.max_conns;
    svc.queue_timeout = typeof m.queue_timeout === 'number' && m.queue_timeout > 0 ? m.queue_timeout : 10_000;
  }
  if (!svc.app === !svc.url) throw new AdminError(400, 'a service needs exactly one of app (an app of this space) or url (http://host:port/path)');
  if (svc.url) {
    try {
      const u = new URL(svc.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw new AdminError(400, `url "${svc.url}" is not an http(s) URL`);
    }
  }
  if (svc.app && !(svc.app in deps.apps)) throw new AdminError(400, `no app named "${svc.app}"; apps: ${Object.keys(deps.apps).join(', ') || 'none'}`);
  return svc;
}

export function toRoute(body: Body, prev: RouteEntity | undefined, e: GatewayEntities, deps: AdminDeps): RouteEntity {
  const m = { ...prev, ...body } as Body;
  const serviceRef = ref(m.service);
  if (!serviceRef) throw new AdminError(400, 'a route needs service: {"id": ...} or {"name": ...}');
  const svc = findIn(e.services, serviceRef, nameOf.services);
  if (!svc) throw new AdminError(400, `no service "${serviceRef}"`);
  if (svc.app && deps.apps[svc.app]?.internal && !svc.expose_internal) {
    throw new AdminError(400, `app "${svc.app}" is internal: no public route may reach it; set expose_internal: true on service ${svc.name} to publish it`);
  }
  const paths = strList(m.paths, 'paths');
  for (const p of paths) {
    if (!p.startsWith('/') && !p.startsWith('~')) throw new AdminError(400, `path "${p}" must start with / (prefix) or ~ (regex)`);
    if (p.startsWith('~')) {
      try {
        new RegExp(p.slice(1));
      } catch (err) {
        throw new AdminError(400, `path "${p}": invalid regex: ${(err as Error).message}`);
      }
    }
  }
  const headers = (m.headers ?? {}) as Record<string, unknown>;
  const name = typeof m.name === 'string' ? m.name : `route-${randomBytes(4).toString('hex')}`;
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('route', `admin:${name}:${randomBytes(4).toString('hex')}`)),
    name,
    service: svc.id,
    hosts: strList(m.hosts, 'hosts'),
    paths,
    methods: strList(m.methods, 'methods').map((x) => x.toUpperCase()),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, strList(v, `headers.${k}`)])),
    strip_path: m.strip_path !== false,
    preserve_host: m.preserve_host === true,
    regex_priority: typeof m.regex_priority === 'number' ? m.regex_priority : 0,
    tags: strList(m.tags, 'tags'),
  };
}

export function toConsumer(body: Body, prev: ConsumerEntity | undefined): ConsumerEntity {
  const m = { ...prev, ...body } as Body;
  const username = str(m.username, 'username');
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('consumer', `admin:${username}:${randomBytes(4).toString('hex')}`)),
    username,
    keys: strList(m.keys, 'keys'),
    basic: Array.isArray(m.basic) ? (m.basic as { username: string; password: string }[]) : [],
    groups: strList(m.groups, 'groups'),
    tags: strList(m.tags, 'tags'),
  };
}

export function toPlugin(body: Body, prev: PluginEntity | undefined, e: GatewayEntities, deps: AdminDeps): PluginEntity {
  const m = { ...prev, ...body } as Body;
  const name = str(m.name, 'name');
  const schema = deps.pluginSchema(name);
  if (!schema) throw new AdminError(400, `unknown plugin "${name}"; plugins: ${deps.pluginNames().join(', ')}`);
  const config = (m.config ?? {}) as Record<string, unknown>;
  const r = schema.safeParse(config);
  if (!r.success) {
    throw new AdminError(400, `plugin ${name}: ${r.error.issues.map((i) => `config.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const scope = (kind: 'services' | 'routes' | 'consumers', v: unknown): string | undefined => {
    const x = ref(v);
    if (x === undefined) return undefined;
    const hit = findIn(e[kind] as { id: string }[], x, nameOf[kind] as (t: { id: string }) => string);
    if (!hit) throw new AdminError(400, `no ${kind.slice(0, -1)} "${x}"`);
    return hit.id;
  };
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('plugin', `admin:${name}:${randomBytes(6).toString('hex')}`)),
    name,
    config,
    service: scope('services', m.service),
    route: scope('routes', m.route),
    consumer: scope('consumers', m.consumer),
    enabled: m.enabled !== false,
  };
}

/** Removes an entity and what hangs off it (a service's routes, plugins scoped to it). */
export function remove(e: GatewayEntities, kind: Kind, id: string): GatewayEntities {
  const next: GatewayEntities = { ...e, [kind]: (e[kind] as { id: string }[]).filter((x) => x.id !== id) };
  if (kind === 'services') next.routes = next.routes.filter((r) => r.service !== id);
  const routeIds = new Set(next.routes.map((r) => r.id));
  next.plugins = next.plugins.filter((p) => p.id !== id && p.service !== id && p.consumer !== id && (p.route === undefined || routeIds.has(p.route)));
  return next;
}

export { nameOf };
export type { Kind, Body };
