/**
 * Kong-compatible admin operations on the gateway's entities. Each call takes the current entities and
 * returns the next ones (never mutates), or throws an AdminError saying what is wrong and what to do.
 */
import { randomBytes } from 'node:crypto';
import { stableId, type ConsumerEntity, type GatewayEntities, type PluginEntity, type RouteEntity, type ServiceEntity, type AppInfo } from '../entities.js';
import type { z } from 'zod';
import { didYouMean } from '../../config/did-you-mean.js';
import { hostProblem } from '../../config/host-name.js';
import { AdminError, schemaViolation } from './errors.js';
import { optBool, optInt, optObject, optOneOf, optString, refuseTypos, reqString, strList } from './fields.js';

export { AdminError };

type Body = Record<string, unknown>;
type Kind = 'services' | 'routes' | 'consumers' | 'plugins';

const ref = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Body;
    return (typeof o.id === 'string' ? o.id : undefined) ?? (typeof o.name === 'string' ? o.name : undefined) ?? (typeof o.username === 'string' ? o.username : undefined);
  }
  return undefined;
};

/** The fields each entity has: a near miss of one (`strip_paths`) is refused, not dropped. */
const FIELDS = {
  services: ['id', 'name', 'app', 'process', 'url', 'expose_internal', 'path', 'retries', 'connect_timeout', 'read_timeout', 'write_timeout', 'load_balancing', 'max_conns', 'queue_timeout', 'tags'],
  routes: ['id', 'name', 'service', 'hosts', 'paths', 'methods', 'headers', 'strip_path', 'preserve_host', 'regex_priority', 'tags'],
  consumers: ['id', 'username', 'keys', 'basic', 'groups', 'tags'],
  plugins: ['id', 'name', 'config', 'service', 'route', 'consumer', 'enabled'],
} as const;
const MAX_MS = 2_147_483_646; // Kong's timeouts: 1 to 2^31-2 ms

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
  refuseTypos(body, FIELDS.services);
  const m = { ...prev, ...body } as Body;
  const name = reqString(m, 'name');
  const path = optString(m, 'path');
  if (path !== undefined && !path.startsWith('/')) throw schemaViolation(['path', `should start with: / (got "${path}")`]);
  const svc: ServiceEntity = {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('service', `admin:${name}:${randomBytes(4).toString('hex')}`)),
    name,
    app: optString(m, 'app'),
    process: optString(m, 'process') ?? 'web',
    url: optString(m, 'url'),
    expose_internal: optBool(m, 'expose_internal', false),
    path,
    retries: optInt(m, 'retries', 0, 32767, 5),
    connect_timeout: optInt(m, 'connect_timeout', 1, MAX_MS, 5000),
    read_timeout: optInt(m, 'read_timeout', 1, MAX_MS, 30000),
    write_timeout: optInt(m, 'write_timeout', 1, MAX_MS, 30000),
    load_balancing: optOneOf(m, 'load_balancing', ['round-robin', 'least-connections'] as const, 'round-robin'),
    tags: strList(m.tags, 'tags'),
  };
  if (m.max_conns !== undefined && m.max_conns !== null) {
    if (typeof m.max_conns !== 'number' || !Number.isInteger(m.max_conns) || m.max_conns < 1) throw schemaViolation(['max_conns', 'max_conns is a whole number of connections per dyno, at least 1 (leave it out for no cap)']);
    svc.max_conns = m.max_conns;
    svc.queue_timeout = optInt(m, 'queue_timeout', 1, MAX_MS, 10_000);
  }
  if (!svc.app === !svc.url) throw schemaViolation(['@entity', 'a service needs exactly one of app (an app of this space) or url (http://host:port/path)']);
  if (svc.url) {
    try {
      const u = new URL(svc.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw schemaViolation(['url', `"${svc.url}" is not an http(s) URL`]);
    }
  }
  if (svc.app && !(svc.app in deps.apps)) throw schemaViolation(['app', `no app named "${svc.app}"; apps: ${Object.keys(deps.apps).join(', ') || 'none'}`]);
  return svc;
}

export function toRoute(body: Body, prev: RouteEntity | undefined, e: GatewayEntities, deps: AdminDeps): RouteEntity {
  refuseTypos(body, FIELDS.routes);
  const m = { ...prev, ...body } as Body;
  const serviceRef = ref(m.service);
  if (!serviceRef) throw schemaViolation(['service', 'required field missing: {"id": ...} or {"name": ...}']);
  const svc = findIn(e.services, serviceRef, nameOf.services);
  if (!svc) throw schemaViolation(['service', `no service "${serviceRef}" (GET /services lists them)`]);
  if (svc.app && deps.apps[svc.app]?.internal && !svc.expose_internal) {
    throw schemaViolation(['service', `app "${svc.app}" is internal: no public route may reach it; set expose_internal: true on service ${svc.name} to publish it`]);
  }
  const paths = strList(m.paths, 'paths');
  for (const p of paths) {
    if (!p.startsWith('/') && !p.startsWith('~')) throw schemaViolation(['paths', `path "${p}" must start with / (prefix) or ~ (regex)`]);
    if (p.startsWith('~')) {
      try {
        new RegExp(p.slice(1));
      } catch (err) {
        throw schemaViolation(['paths', `path "${p}": invalid regex: ${(err as Error).message}`]);
      }
    }
  }
  const hosts = strList(m.hosts, 'hosts');
  for (const h of hosts) {
    const problem = hostProblem(h);
    if (problem) throw schemaViolation(['hosts', problem]);
  }
  const headers = optObject(m, 'headers');
  const name = optString(m, 'name') ?? `route-${randomBytes(4).toString('hex')}`;
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('route', `admin:${name}:${randomBytes(4).toString('hex')}`)),
    name,
    service: svc.id,
    hosts,
    paths,
    methods: strList(m.methods, 'methods').map((x) => x.toUpperCase()),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, strList(v, `headers.${k}`)])),
    strip_path: optBool(m, 'strip_path', true),
    preserve_host: optBool(m, 'preserve_host', false),
    regex_priority: optInt(m, 'regex_priority', -(2 ** 31), 2 ** 31 - 1, 0),
    tags: strList(m.tags, 'tags'),
  };
}

export function toConsumer(body: Body, prev: ConsumerEntity | undefined): ConsumerEntity {
  refuseTypos(body, FIELDS.consumers);
  const m = { ...prev, ...body } as Body;
  const username = reqString(m, 'username');
  const basic = m.basic ?? [];
  if (!Array.isArray(basic) || basic.some((b) => !b || typeof (b as Body).username !== 'string' || typeof (b as Body).password !== 'string')) {
    throw schemaViolation(['basic', 'expected an array of {"username": ..., "password": ...}']);
  }
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('consumer', `admin:${username}:${randomBytes(4).toString('hex')}`)),
    username,
    keys: strList(m.keys, 'keys'),
    basic: basic as { username: string; password: string }[],
    groups: strList(m.groups, 'groups'),
    tags: strList(m.tags, 'tags'),
  };
}

export function toPlugin(body: Body, prev: PluginEntity | undefined, e: GatewayEntities, deps: AdminDeps): PluginEntity {
  refuseTypos(body, FIELDS.plugins);
  const m = { ...prev, ...body } as Body;
  const name = reqString(m, 'name');
  const schema = deps.pluginSchema(name);
  if (!schema) {
    const guess = didYouMean(name, deps.pluginNames());
    throw schemaViolation(['name', `unknown plugin "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; plugins: ${deps.pluginNames().join(', ')}`]);
  }
  const config = optObject(m, 'config');
  const r = schema.safeParse(config);
  if (!r.success) throw schemaViolation(...r.error.issues.map((i): [string, string] => [['config', ...i.path].join('.'), `${i.message.replace(/^Invalid input: /, '')} (plugin ${name})`]));
  const scope = (kind: 'services' | 'routes' | 'consumers', v: unknown): string | undefined => {
    const x = ref(v);
    if (x === undefined) return undefined;
    const hit = findIn(e[kind] as { id: string }[], x, nameOf[kind] as (t: { id: string }) => string);
    if (!hit) throw schemaViolation([kind.slice(0, -1), `no ${kind.slice(0, -1)} "${x}" (GET /${kind} lists them)`]);
    return hit.id;
  };
  return {
    id: prev?.id ?? (typeof body.id === 'string' ? body.id : stableId('plugin', `admin:${name}:${randomBytes(6).toString('hex')}`)),
    name,
    config,
    service: scope('services', m.service),
    route: scope('routes', m.route),
    consumer: scope('consumers', m.consumer),
    enabled: optBool(m, 'enabled', true),
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
