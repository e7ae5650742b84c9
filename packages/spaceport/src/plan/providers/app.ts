/**
 * Apps (`apps.<name>`): what defines a release besides config vars — source (content hash), build command,
 * processes, root, add-on attachments and timeouts. A change builds the new source and rolls the dynos; a
 * move renames the running app, keeping its releases, config:set values and attachments.
 */
import { relative } from 'node:path';
import type { ResolvedApp, Space } from '../../config/load.js';
import { sameValue } from '../canonical.js';
import { ORDER, type Change, type ChangeSpec, type Provider } from '../types.js';
import { packageHashes, sourceHash } from '../builds.js';
import { seg, type Call, type LiveApps } from './clients.js';

export interface AppAttrs {
  root: string;
  /** `include:` folders, relative to the space's directory; absent when there are none (as before the field existed). */
  include?: string[];
  build: string | null;
  processes: Record<string, string>;
  internal: boolean;
  /** `db`, or `db as ANALYTICS`. */
  addons: string[];
  health: { path: string; interval: number } | null;
  boot_timeout: number;
  stop_timeout: number;
  /** Content hash of the source the release runs. */
  source: string;
  /** Content hash of each workspace package that source covers, by name; absent when there are none. */
  packages?: Record<string, string>;
}

/** The attributes of an app as the config says (and as the running app reports them). */
export function appAttrs(app: ResolvedApp, spaceDir: string, source: string, packages?: Record<string, string>): AppAttrs {
  return {
    root: relative(spaceDir, app.root) || '.',
    ...(app.include.length ? { include: app.include.map((d) => relative(spaceDir, d) || '.') } : {}),
    build: app.build ?? null,
    processes: { ...app.processes },
    internal: app.internal,
    addons: app.addons.map((a) => (typeof a === 'string' ? a : `${a.name} as ${a.as}`)),
    health: app.health ? { path: app.health.path, interval: app.health.interval } : null,
    boot_timeout: app.boot_timeout,
    stop_timeout: app.stop_timeout,
    source,
    ...(packages && Object.keys(packages).length ? { packages } : {}),
  };
}

export class AppProvider implements Provider<AppAttrs, AppAttrs, Space> {
  readonly kind = 'app';
  readonly order = ORDER.app;
  readonly ownsUnrecorded = true;
  private databases = new Set<string>();
  constructor(
    private readonly control: Call,
    private readonly live: LiveApps,
  ) {}

  desired(space: Space): Map<string, AppAttrs> {
    this.databases = new Set(Object.entries(space.config.addons).filter(([, a]) => a.type === 'postgres').map(([n]) => n));
    const out = new Map<string, AppAttrs>();
    for (const app of Object.values(space.config.apps)) out.set(`apps.${app.name}`, appAttrs(app, space.dir, sourceHash(app.root, app.include), packageHashes(app.root, app.include)));
    return out;
  }

  async read(): Promise<Map<string, AppAttrs>> {
    const apps = await this.live.get();
    return new Map(Object.entries(apps).map(([name, a]) => [`apps.${name}`, a.app as unknown as AppAttrs]));
  }

  diff(want: AppAttrs | undefined, have: AppAttrs | undefined): ChangeSpec<AppAttrs, AppAttrs>[] {
    // An app needs its add-ons: if one fails to come up, the app's change waits (no boot without DATABASE_URL).
    const requires = want?.addons.map((a) => `addons.${a.split(' ')[0]}`);
    if (want && !have) return [{ action: 'create', after: want, requires, whole: true }];
    if (!want && have) {
      const dbs = have.addons.map((a) => a.split(' ')[0]!).filter((a) => this.databases.size === 0 || this.databases.has(a));
      const destroysData = dbs.length
        ? `it has the database ${dbs.join(', ')} attached: deleting the app drops that attachment, its releases and its config:set values`
        : undefined;
      return [{ action: 'delete', before: have, destroysData }];
    }
    if (want && have && !sameValue(want, have)) return [{ action: 'update', before: have, after: want, requires }];
    return [];
  }

  /** `--replace`: rebuilt from its source and released anew, every dyno replaced; releases and config:set values stay. */
  replace(want: AppAttrs, have: AppAttrs): ChangeSpec<AppAttrs, AppAttrs> {
    return { action: 'replace', before: have, after: want, requires: this.references(want) };
  }

  references(value: AppAttrs): string[] {
    return value.addons.map((a) => `addons.${a.split(' ')[0]}`);
  }

  async apply(c: Change<AppAttrs, AppAttrs>): Promise<void> {
    const name = c.address.slice('apps.'.length);
    if (c.action === 'move') {
      await this.control('POST', `/v1/lifecycle/apps/${seg(c.from!.slice('apps.'.length))}/move`, { to: name });
    } else if (c.action === 'delete') {
      await this.control('DELETE', `/v1/lifecycle/apps/${seg(name)}`);
    } else {
      await this.control('PUT', `/v1/lifecycle/apps/${seg(name)}`, { source: c.after?.source, ...(c.requested ? { replace: true } : {}) });
    }
  }
}
