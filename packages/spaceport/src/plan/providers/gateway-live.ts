/**
 * One read of the gateway's admin API per plan (services, routes, consumers with their key-auth keys,
 * plugins), turned into attributes by address. Entities the gateway derives itself (the default
 * `<app>.localhost` routes, tagged `default`) are not the file's and are left out. Live ids are kept so
 * updates and deletes address the exact entity.
 */
import type { Call } from './clients.js';
import { seg } from './clients.js';

type Entity = Record<string, unknown> & { id: string };
interface List {
  data: Entity[];
}

export interface GatewaySnapshot {
  /** address → attributes, per kind. */
  services: Map<string, Record<string, unknown>>;
  routes: Map<string, Record<string, unknown>>;
  consumers: Map<string, Record<string, unknown>>;
  plugins: Map<string, Record<string, unknown>>;
  /** address → live entity id. */
  ids: Map<string, string>;
}

const isDefault = (e: Entity) => Array.isArray(e.tags) && (e.tags as unknown[]).includes('default');
const refId = (v: unknown) => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? undefined) : typeof v === 'string' ? v : undefined);

export function serviceAttrs(s: Record<string, unknown>): Record<string, unknown> {
  return {
    app: s.app ?? null,
    process: s.process ?? 'web',
    url: s.url ?? null,
    expose_internal: s.expose_internal ?? false,
    path: s.path ?? null,
    retries: s.retries,
    connect_timeout: s.connect_timeout,
    read_timeout: s.read_timeout,
    write_timeout: s.write_timeout,
    load_balancing: s.load_balancing,
  };
}

export function routeAttrs(r: Record<string, unknown>): Record<string, unknown> {
  return {
    hosts: r.hosts ?? [],
    paths: r.paths ?? [],
    methods: r.methods ?? [],
    headers: r.headers ?? {},
    strip_path: r.strip_path ?? true,
    preserve_host: r.preserve_host ?? false,
    regex_priority: r.regex_priority ?? 0,
  };
}

export class GatewayLive {
  private pending: Promise<GatewaySnapshot> | undefined;
  constructor(private readonly admin: Call | undefined) {}

  get(): Promise<GatewaySnapshot> {
    this.pending ??= this.load();
    return this.pending;
  }

  reset(): void {
    this.pending = undefined;
  }

  /** The admin client, or an error saying the gateway is not running. */
  call(): Call {
    if (!this.admin) throw new Error('the gateway is not running (no admin API); start the space with `spaceport up -d`');
    return this.admin;
  }

  private async load(): Promise<GatewaySnapshot> {
    const snap: GatewaySnapshot = { services: new Map(), routes: new Map(), consumers: new Map(), plugins: new Map(), ids: new Map() };
    if (!this.admin) return snap;
    const admin = this.admin;
    const [services, routes, consumers, plugins] = await Promise.all(
      ['services', 'routes', 'consumers', 'plugins'].map((k) => admin<List>('GET', `/${k}`).then((l) => l.data)),
    );
    const where = new Map<string, string>(); // entity id → address
    for (const s of services!) {
      if (isDefault(s)) continue;
      const addr = `gateway.services.${String(s.name)}`;
      snap.services.set(addr, serviceAttrs(s));
      snap.ids.set(addr, s.id);
      where.set(s.id, addr);
    }
    for (const r of routes!) {
      const svc = where.get(refId(r.service) ?? '');
      if (!svc || isDefault(r)) continue;
      const addr = `${svc}.routes.${String(r.name)}`;
      snap.routes.set(addr, routeAttrs(r));
      snap.ids.set(addr, r.id);
      where.set(r.id, addr);
    }
    const keys = await Promise.all(consumers!.map((c) => admin<List>('GET', `/consumers/${seg(c.id)}/key-auth`).then((l) => l.data.map((k) => String(k.key)))));
    consumers!.forEach((c, i) => {
      const addr = `gateway.consumers.${String(c.username)}`;
      const basic = Array.isArray(c.basic)
        ? (c.basic as { username: string; password_sha256?: string }[]).map((b) => (b.password_sha256 ? { username: b.username, password_sha256: b.password_sha256 } : { username: b.username }))
        : [];
      snap.consumers.set(addr, { keys: [...keys[i]!].sort(), basic, groups: c.groups ?? [] });
      snap.ids.set(addr, c.id);
      where.set(c.id, addr);
    });
    for (const p of plugins!) {
      const scopeId = refId(p.route) ?? refId(p.service) ?? refId(p.consumer);
      const scope = scopeId === undefined ? 'gateway' : where.get(scopeId);
      if (!scope) continue; // scoped to something derived (a default route): not the file's
      const addr = `${scope}.plugins.${String(p.name)}`;
      snap.plugins.set(addr, { config: p.config ?? {}, enabled: p.enabled !== false });
      snap.ids.set(addr, p.id);
    }
    return snap;
  }
}
