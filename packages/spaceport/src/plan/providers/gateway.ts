/**
 * Gateway entities as providers, over the Kong-compatible admin API: services (`gateway.services.<s>`),
 * routes (`gateway.services.<s>.routes.<r>`), consumers (`gateway.consumers.<c>`) and plugins at every
 * scope (`...plugins.<name>`). The file is the truth for all of them: an entity added through the admin
 * API is drift, deleted by apply or written into the file by adopt.
 */
import type { Space } from '../../config/load.js';
import type { PluginsConfig } from '../../config/schema.js';
import { sameValue } from '../canonical.js';
import { ORDER, type Change, type ChangeSpec, type Provider, type YamlEdit } from '../types.js';
import { seg } from './clients.js';
import { basicPasswordHash } from '../../gateway/admin/password-hash.js';
import { routeAttrs, serviceAttrs, type GatewayLive, type GatewaySnapshot } from './gateway-live.js';

type Attrs = Record<string, unknown>;

/** Route fields at their defaults are left out of adopted YAML, so the file stays as short as written. */
const ROUTE_DEFAULTS: Attrs = { hosts: [], paths: [], methods: [], headers: {}, strip_path: true, preserve_host: false, regex_priority: 0 };
const SERVICE_DEFAULTS: Attrs = { app: null, process: 'web', url: null, expose_internal: false, path: null, retries: 5, connect_timeout: 5000, read_timeout: 30000, write_timeout: 30000, load_balancing: 'round-robin' };

function minimal(attrs: Attrs, defaults: Attrs): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(attrs)) if (!sameValue(v, defaults[k]) && v !== null) out[k] = v;
  return out;
}

/** Field-by-field edits, so a service's routes or a consumer's comments in the file are untouched. */
function fieldEdits(base: (string | number)[], live: Attrs | undefined, want: Attrs | undefined, defaults: Attrs): YamlEdit[] {
  if (!live) return [{ path: base, value: undefined }];
  if (!want) return [{ path: base, value: minimal(live, defaults) }];
  const edits: YamlEdit[] = [];
  for (const [k, v] of Object.entries(live)) {
    if (sameValue(v, want[k])) continue;
    edits.push({ path: [...base, k], value: v === null || sameValue(v, defaults[k]) ? undefined : v });
  }
  return edits;
}

abstract class GatewayProvider implements Provider<Attrs, Attrs, Space> {
  abstract readonly kind: string;
  abstract readonly order: number;
  readonly ownsUnrecorded = true;
  constructor(protected readonly live: GatewayLive) {}
  abstract desired(space: Space): Map<string, Attrs>;
  protected abstract pick(s: GatewaySnapshot): Map<string, Attrs>;
  async read(): Promise<Map<string, Attrs>> {
    return this.pick(await this.live.get());
  }
  diff(want: Attrs | undefined, have: Attrs | undefined): ChangeSpec<Attrs, Attrs>[] {
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have }];
    if (want && have && !this.equal(want, have)) return [{ action: 'update', before: have, after: want }];
    return [];
  }
  equal(a: Attrs, b: Attrs): boolean {
    return sameValue(a, b);
  }
  abstract apply(change: Change<Attrs, Attrs>): Promise<void>;
  protected async liveId(address: string): Promise<string> {
    const id = (await this.live.get()).ids.get(address);
    if (!id) throw new Error(`${address} is not in the gateway any more; run plan again`);
    return id;
  }
}

export class ServiceProvider extends GatewayProvider {
  readonly kind = 'service';
  readonly order = ORDER.service;
  desired(space: Space): Map<string, Attrs> {
    return new Map(Object.entries(space.config.gateway.services).map(([n, s]) => [`gateway.services.${n}`, serviceAttrs(s as unknown as Attrs)]));
  }
  protected pick(s: GatewaySnapshot) {
    return s.services;
  }
  /**
   * A service that points at an app depends on it (as a Terraform resource on another it references): a targeted
   * plan of the service takes the app's change with it, and a service whose app failed to apply is skipped.
   */
  override diff(want: Attrs | undefined, have: Attrs | undefined): ChangeSpec<Attrs, Attrs>[] {
    const specs = super.diff(want, have);
    const app = typeof want?.app === 'string' ? want.app : undefined;
    return app ? specs.map((s) => (s.action === 'delete' ? s : { ...s, requires: [`apps.${app}`] })) : specs;
  }
  references(value: Attrs): string[] {
    return typeof value.app === 'string' ? [`apps.${value.app}`] : [];
  }
  async apply(c: Change<Attrs, Attrs>): Promise<void> {
    const admin = this.live.call();
    const name = c.address.split('.')[2]!;
    if (c.action === 'move') await admin('PATCH', `/services/${seg(c.from!.split('.')[2]!)}`, { name });
    else if (c.action === 'delete') await admin('DELETE', `/services/${seg(name)}`);
    else await admin('PUT', `/services/${seg(name)}`, { name, ...c.after });
  }
  adopt(address: string, live: Attrs | undefined, want: Attrs | undefined): YamlEdit[] {
    return fieldEdits(['gateway', 'services', address.split('.')[2]!], live, want, SERVICE_DEFAULTS);
  }
}

export class RouteProvider extends GatewayProvider {
  readonly kind = 'route';
  readonly order = ORDER.route;
  desired(space: Space): Map<string, Attrs> {
    const out = new Map<string, Attrs>();
    for (const [sn, s] of Object.entries(space.config.gateway.services)) {
      for (const [rn, r] of Object.entries(s.routes)) out.set(`gateway.services.${sn}.routes.${rn}`, routeAttrs(r as unknown as Attrs));
    }
    return out;
  }
  protected pick(s: GatewaySnapshot) {
    return s.routes;
  }
  async apply(c: Change<Attrs, Attrs>): Promise<void> {
    const admin = this.live.call();
    const [, , svc, , name] = c.address.split('.');
    if (c.action === 'create') await admin('POST', `/services/${seg(svc!)}/routes`, { name, ...c.after });
    else if (c.action === 'delete') await admin('DELETE', `/routes/${seg(await this.liveId(c.address))}`);
    else if (c.action === 'move') await admin('PATCH', `/routes/${seg(await this.liveId(c.from!))}`, { name, service: { name: svc } });
    else await admin('PATCH', `/routes/${seg(await this.liveId(c.address))}`, { ...c.after });
  }
  adopt(address: string, live: Attrs | undefined, want: Attrs | undefined): YamlEdit[] {
    const [, , svc, , name] = address.split('.');
    // Field by field when the file has the route: its plugins and the way it is written stay.
    return fieldEdits(['gateway', 'services', svc!, 'routes', name!], live, want, ROUTE_DEFAULTS);
  }
}

/** A basic-auth credential as the provider compares it: the password only as its salted hash. */
interface Basic {
  username: string;
  password?: string;
  password_sha256?: string;
}

/**
 * Basic-auth passwords never leave the gateway: its admin API shows a salted SHA-256 of each
 * (gateway/admin/password-hash.ts), and the file's passwords are hashed the same way, so a password changed
 * on either side is a difference. A record without a hash (an older state) compares usernames only.
 */
function sameBasic(a: unknown, b: unknown): boolean {
  const x = (a as Basic[] | undefined) ?? [];
  const y = (b as Basic[] | undefined) ?? [];
  return x.length === y.length && x.every((c, i) => c.username === y[i]!.username && (!c.password_sha256 || !y[i]!.password_sha256 || c.password_sha256 === y[i]!.password_sha256));
}

export class ConsumerProvider extends GatewayProvider {
  readonly kind = 'consumer';
  readonly order = ORDER.consumer;
  desired(space: Space): Map<string, Attrs> {
    return new Map(
      Object.entries(space.config.gateway.consumers).map(([n, c]) => [
        `gateway.consumers.${n}`,
        {
          keys: [...c.keys].sort(),
          basic: c.basic.map((b) => ({ ...b, password_sha256: basicPasswordHash(n, b.username, b.password) })),
          groups: [...c.groups],
        },
      ]),
    );
  }
  protected pick(s: GatewaySnapshot) {
    return s.consumers;
  }
  override equal(a: Attrs, b: Attrs): boolean {
    return sameValue({ ...a, basic: null }, { ...b, basic: null }) && sameBasic(a.basic, b.basic);
  }
  async apply(c: Change<Attrs, Attrs>): Promise<void> {
    const admin = this.live.call();
    const name = c.address.split('.')[2]!;
    if (c.action === 'delete') await admin('DELETE', `/consumers/${seg(name)}`);
    else if (c.action === 'move') await admin('PATCH', `/consumers/${seg(c.from!.split('.')[2]!)}`, { username: name });
    else {
      const basic = ((c.after!.basic as Basic[] | undefined) ?? []).map((b) => ({ username: b.username, password: b.password }));
      await admin('PUT', `/consumers/${seg(name)}`, { username: name, ...c.after, basic });
    }
  }
  adopt(address: string, live: Attrs | undefined, want: Attrs | undefined): YamlEdit[] {
    // A password changed through the admin API cannot be written into the file: the gateway never shows it.
    if (live && (!want || !sameBasic(live.basic, want.basic))) return [];
    return fieldEdits(['gateway', 'consumers', address.split('.')[2]!], live, want, { keys: [], basic: [], groups: [] });
  }
}

export class PluginProvider extends GatewayProvider {
  readonly kind = 'plugin';
  readonly order = ORDER.plugin;
  desired(space: Space): Map<string, Attrs> {
    const out = new Map<string, Attrs>();
    const add = (scope: string, plugins: PluginsConfig) => {
      for (const [name, config] of Object.entries(plugins)) out.set(`${scope}.plugins.${name}`, { config: { ...config }, enabled: true });
    };
    const gw = space.config.gateway;
    add('gateway', gw.plugins);
    for (const [sn, s] of Object.entries(gw.services)) {
      add(`gateway.services.${sn}`, s.plugins);
      for (const [rn, r] of Object.entries(s.routes)) add(`gateway.services.${sn}.routes.${rn}`, r.plugins);
    }
    for (const [cn, c] of Object.entries(gw.consumers)) add(`gateway.consumers.${cn}`, c.plugins);
    return out;
  }
  protected pick(s: GatewaySnapshot) {
    return s.plugins;
  }
  async apply(c: Change<Attrs, Attrs>): Promise<void> {
    const admin = this.live.call();
    if (c.action === 'delete') return void (await admin('DELETE', `/plugins/${seg(await this.liveId(c.address))}`));
    if (c.action === 'move') return; // a plugin moves with the entity it is scoped to
    // PUT: the file's config replaces the live one whole (PATCH merges into it, as Kong's does, so a field taken
    // out of the file would stay).
    if (c.action === 'update') return void (await admin('PUT', `/plugins/${seg(await this.liveId(c.address))}`, { ...c.after }));
    const parts = c.address.split('.');
    const name = parts[parts.length - 1]!;
    const scope: Attrs = {};
    if (parts[1] === 'services') scope.service = { name: parts[2] };
    if (parts[3] === 'routes') scope.route = { name: parts[4] };
    if (parts[1] === 'consumers') scope.consumer = { username: parts[2] };
    await admin('POST', '/plugins', { name, ...c.after, ...scope });
  }
  adopt(address: string, live: Attrs | undefined, want: Attrs | undefined): YamlEdit[] {
    if (live && want && sameValue(live.config, want.config)) return [];
    const path = address.split('.');
    // `gateway.services.s.plugins.p` is the config path itself; the value is the plugin's config.
    return [{ path, value: live ? (live.config as Attrs) : undefined }];
  }
}
