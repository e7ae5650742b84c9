/**
 * The admin API on loopback, behind the admin token (`Authorization: Bearer <token>` or
 * `Kong-Admin-Token`). Kong-compatible paths: /services, /routes, /consumers, /plugins (each with
 * /{id or name}), /services/{s}/routes, /consumers/{c}/key-auth, plus /status and /metrics.
 * A change is compiled and pushed to the workers at once: it is live without a restart.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { stableId, type ConsumerEntity, type GatewayEntities, type GatewayRuntimeConfig, type PluginEntity } from '../entities.js';
import { acls, basicAuth } from './credentials.js';
import { renderPrometheus, type MetricsSnapshot } from '../metrics.js';
import { loadAllPlugins } from '../plugins/catalog.js';
import { AdminError, findIn, nameOf, remove, toConsumer, toPlugin, toRoute, toService, type AdminDeps, type Body, type Kind } from './crud.js';
import { schemaViolation, uniqueViolation } from './errors.js';
import { page } from './page.js';
import { coerceEntityForm, coercePluginForm, parseForm } from './form-body.js';
import { basicPasswordHash } from './password-hash.js';

export interface AdminHost {
  config(): GatewayRuntimeConfig;
  apply(next: GatewayRuntimeConfig): void;
  metrics(): Promise<MetricsSnapshot>;
  status(): Record<string, unknown>;
}

const KINDS = new Set<Kind>(['services', 'routes', 'consumers', 'plugins']);

export class AdminServer {
  private server: http.Server | undefined;
  private schemas = new Map<string, z.ZodType>();
  port = 0;
  constructor(
    private readonly token: string,
    private readonly host: AdminHost,
  ) {}

  async listen(port: number): Promise<void> {
    for (const [name, p] of await loadAllPlugins()) this.schemas.set(name, p.schema);
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  close(): void {
    this.server?.close();
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    const given = h?.startsWith('Bearer ') ? h.slice(7) : (req.headers['kong-admin-token'] as string | undefined);
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, type = 'application/json; charset=utf-8') => {
      const text = typeof body === 'string' && type.startsWith('text/') ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      if (!this.authorized(req)) throw new AdminError(401, 'admin token missing or wrong: send Authorization: Bearer <token from .spaceport/admin-token>');
      const url = new URL(req.url ?? '/', 'http://admin');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'DELETE' ? {} : await this.readBody(req, parts);
      const out = await this.route(method, parts, body, url);
      if (out === undefined) {
        res.writeHead(204);
        res.end();
      } else if (typeof out === 'string') send(200, out, 'text/plain; version=0.0.4; charset=utf-8');
      else send(method === 'POST' ? 201 : 200, out);
    } catch (err) {
      if (err instanceof AdminError) send(err.status, err.body());
      else send(500, { message: `admin API error: ${(err as Error).message}` });
    }
  }

  /**
   * JSON, or a form (curl --data sends one). A JSON object sent with curl's default form type (`curl -d '{...}'`
   * without a content type) is still read as JSON, as it always was.
   */
  private async readBody(req: IncomingMessage, parts: string[]): Promise<Body> {
    const text = await readText(req);
    const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') && !text.trimStart().startsWith('{');
    return form ? this.fromForm(parts, text) : parseJson(text);
  }

  /** A form body with its values converted as JSON would have them (form-body.ts). */
  private fromForm(parts: string[], text: string): Body {
    const body = coerceEntityForm(parseForm(text));
    const [a, b] = parts;
    const name = typeof body.name === 'string' ? body.name : a === 'plugins' && b ? this.host.config().entities.plugins.find((p) => p.id === b)?.name : undefined;
    const schema = name ? this.schemas.get(name) : undefined;
    if (schema && body.config && typeof body.config === 'object') body.config = coercePluginForm(body.config, schema);
    return body;
  }

  private deps(): AdminDeps {
    return {
      apps: this.host.config().apps,
      pluginSchema: (n) => this.schemas.get(n),
      pluginNames: () => [...this.schemas.keys()],
    };
  }

  private commit(next: GatewayEntities): void {
    this.host.apply({ ...this.host.config(), entities: next });
  }

  private async route(method: string, parts: string[], body: Body, url: URL): Promise<unknown> {
    const list = (data: unknown[]) => page(data, url);
    const e = this.host.config().entities;
    const [a, b, c, d] = parts;
    if (parts.length === 0) return { tagline: 'Welcome to spaceport', version: '0.1.0' };
    if (a === 'status' && parts.length === 1) return { server: this.host.status(), database: { reachable: true } };
    if (a === 'metrics' && parts.length === 1) return renderPrometheus(await this.host.metrics());
    if (a === 'plugins' && b === 'enabled' && parts.length === 2 && method === 'GET') return { enabled_plugins: [...this.schemas.keys()].sort() }; // Kong's list of plugin names
    if (a === 'consumers' && b && c === 'key-auth') return this.keyAuth(method, e, b, d, body, list);
    if (a === 'consumers' && b && (c === 'basic-auth' || c === 'acls') && parts.length <= 4) {
      const consumer = this.find(e, 'consumers', b) as ConsumerEntity;
      const save = (next: ConsumerEntity) => this.commit({ ...e, consumers: e.consumers.map((x) => (x.id === next.id ? next : x)) });
      return (c === 'acls' ? acls : basicAuth)({ method, consumer, id: d, body, entities: e, list, save });
    }
    if (a === 'services' && b && c === 'routes' && parts.length === 3) {
      const svc = this.find(e, 'services', b);
      if (method === 'GET') return list(e.routes.filter((r) => r.service === svc.id).map(render));
      if (method === 'POST') return this.upsert(e, 'routes', undefined, { ...body, service: { id: svc.id } });
    }
    if ((a === 'services' || a === 'routes' || a === 'consumers') && b && c === 'plugins' && parts.length === 3) {
      // Kong's nested plugin endpoints (its quick start's POST /services/{s}/plugins): scoped to that entity.
      const owner = this.find(e, a, b);
      const field = a.slice(0, -1) as 'service' | 'route' | 'consumer';
      if (method === 'GET') return list(e.plugins.filter((p) => p[field] === owner.id).map(render));
      if (method === 'POST') return this.upsert(e, 'plugins', undefined, { ...body, [field]: { id: owner.id } });
      throw new AdminError(405, `${method} /${a}/${b}/plugins is not allowed: use GET or POST`);
    }
    if (!a || !KINDS.has(a as Kind) || parts.length > 2) throw new AdminError(404, `no admin path /${parts.join('/')}: see docs/gateway.md for the admin API`);
    const kind = a as Kind;
    if (!b) {
      if (method === 'GET') return list((e[kind] as object[]).map(render));
      if (method === 'POST') return this.upsert(e, kind, undefined, body);
      throw new AdminError(405, `${method} /${kind} is not allowed: use GET or POST`);
    }
    const found = this.lookup(e, kind, b);
    switch (method) {
      case 'GET':
        if (!found) throw new AdminError(404, `no ${kind.slice(0, -1)} "${b}"`);
        return render(found);
      case 'PATCH': {
        if (!found) throw new AdminError(404, `no ${kind.slice(0, -1)} "${b}"`);
        // Kong merges a partial config into the plugin's (PATCH config.minute=10 keeps limit_by); PUT replaces it.
        const prevConfig = kind === 'plugins' ? (found as PluginEntity).config : undefined;
        const config = prevConfig && isObject(body.config) ? Object.fromEntries(Object.entries({ ...prevConfig, ...body.config }).filter(([, v]) => v !== null)) : undefined;
        const merged = config ? { ...body, config } : body; // a field set to null goes back to its default
        return this.upsert(e, kind, found, merged);
      }
      case 'PUT': {
        const named = kind === 'consumers' ? { username: b } : kind === 'plugins' ? {} : { name: b };
        return this.upsert(e, kind, found, { ...(found ? {} : named), ...body }, !found);
      }
      case 'DELETE':
        if (found) this.commit(remove(e, kind, found.id));
        return undefined;
    }
    throw new AdminError(405, `${method} is not allowed here`);
  }

  private lookup(e: GatewayEntities, kind: Kind, key: string): { id: string } | undefined {
    return findIn(e[kind] as { id: string }[], key, nameOf[kind] as (t: { id: string }) => string);
  }

  private find(e: GatewayEntities, kind: Kind, key: string): { id: string } {
    const hit = this.lookup(e, kind, key);
    if (!hit) throw new AdminError(404, `no ${kind.slice(0, -1)} "${key}"`);
    return hit;
  }

  private upsert(e: GatewayEntities, kind: Kind, prev: { id: string } | undefined, body: Body, _create = false): unknown {
    const deps = this.deps();
    let entity: { id: string };
    if (kind === 'services') entity = toService(body, prev as never, deps);
    else if (kind === 'routes') entity = toRoute(body, prev as never, e, deps);
    else if (kind === 'consumers') entity = toConsumer(body, prev as never);
    else entity = toPlugin(body, prev as never, e, deps);
    const listOf = e[kind] as { id: string }[];
    const dup = kind !== 'plugins' && listOf.find((x) => x.id !== entity.id && (nameOf[kind] as (t: unknown) => string)(x) === (nameOf[kind] as (t: unknown) => string)(entity));
    if (kind === 'plugins') {
      // Kong's unique key of a plugin: its name and scope. Two would leave which one runs to chance.
      const p = entity as PluginEntity;
      const twin = e.plugins.find((x) => x.id !== p.id && x.name === p.name && x.service === p.service && x.route === p.route && x.consumer === p.consumer);
      if (twin) throw uniqueViolation('name', p.name, `this scope has a ${p.name} plugin already (id ${twin.id}): change it with PATCH /plugins/${twin.id}`);
    }
    if (dup) {
      const field = kind === 'consumers' ? 'username' : 'name';
      const value = (nameOf[kind] as (t: unknown) => string)(entity);
      throw uniqueViolation(field, value, `a ${kind.slice(0, -1)} with that ${field} exists already (id ${dup.id}): change it with PATCH /${kind}/${value}, or pick another ${field}`);
    }
    const next = prev ? listOf.map((x) => (x.id === prev.id ? entity : x)) : [...listOf, entity];
    this.commit({ ...e, [kind]: next });
    return render(entity);
  }

  private keyAuth(method: string, e: GatewayEntities, consumerKey: string, credId: string | undefined, body: Body, list: (data: unknown[]) => unknown): unknown {
    const c = findIn(e.consumers, consumerKey, nameOf.consumers);
    if (!c) throw new AdminError(404, `no consumer "${consumerKey}"`);
    const cred = (key: string) => ({ id: stableId('key-auth', key), key, consumer: { id: c.id } });
    if (method === 'GET' && !credId) return list(c.keys.map(cred));
    if (method === 'POST' && !credId) {
      const key = typeof body.key === 'string' ? body.key : randomBytes(24).toString('base64url');
      if (key.length < 8) throw schemaViolation(['key', 'a key has at least 8 characters: send a longer one, or none to have one generated']);
      const holder = e.consumers.find((x) => x.keys.includes(key));
      if (holder) throw uniqueViolation('key', key, `that key is already in use (consumer ${holder.username}): send another key, or none to have one generated`);
      this.commit({ ...e, consumers: e.consumers.map((x) => (x.id === c.id ? { ...x, keys: [...x.keys, key] } : x)) });
      return cred(key);
    }
    if (method === 'GET' && credId) {
      const key = c.keys.find((k) => k === credId || stableId('key-auth', k) === credId);
      if (!key) throw new AdminError(404, `consumer ${c.username} has no key-auth credential "${credId}"`);
      return cred(key);
    }
    if (method === 'DELETE' && credId) {
      const keys = c.keys.filter((k) => k !== credId && stableId('key-auth', k) !== credId);
      this.commit({ ...e, consumers: e.consumers.map((x) => (x.id === c.id ? { ...x, keys } : x)) });
      return undefined;
    }
    throw new AdminError(405, `${method} is not allowed on key-auth credentials`);
  }
}

/** Kong's shape for references: `service: {id}`. */
function render(x: object): unknown {
  const o = { ...(x as Record<string, unknown>) };
  for (const k of ['service', 'route', 'consumer']) if (typeof o[k] === 'string') o[k] = { id: o[k] };
  if ('keys' in o) delete o.keys;
  if ('basic' in o) {
    const consumer = String(o.username);
    o.basic = (o.basic as { username: string; password?: string }[]).map((b) => ({ username: b.username, password_sha256: basicPasswordHash(consumer, b.username, String(b.password ?? '')) }));
  }
  return o;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1 << 20) throw new AdminError(413, 'request body over 1 MiB');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseJson(text: string): Body {
  if (text.length === 0) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Body;
  } catch {
    throw new AdminError(400, 'body must be a JSON object (Content-Type: application/json), or a form (Content-Type: application/x-www-form-urlencoded, as curl --data name=value sends it)');
  }
}
