/**
 * Add-ons (`addons.<name>`): Postgres and Kafka, platform services of the control plane. Apply starts an
 * added one in the running space, stops a removed one, renames a moved one with its data (stopped, renamed on
 * disk and in state, started under the new name), and replaces one whose type or `url:` changed (stopped,
 * started as the new kind, and the apps attaching it released with its new variables and rolled). The apps
 * attaching an added or removed one follow as their own changes. Removing or replacing an embedded one keeps
 * its data on disk but needs --allow-destroy: its apps lose it (and a rename without moved: would start an
 * empty one); `destroy --include-data` deletes the data.
 */
import type { Space } from '../../config/load.js';
import { ORDER, type Change, type ChangeSpec, type Provider } from '../types.js';
import { addonUrl } from '../addon-url.js';
import { seg, type Call } from './clients.js';

export interface AddonAttrs {
  type: string;
  /** External server instead of the embedded one. */
  external: boolean;
  /** An external one's URL, password masked (null when embedded). */
  url: string | null;
  /** An HMAC of an external URL with a password (see addon-url.ts); shown as (sensitive). */
  password: string | null;
}

/** What `GET /v1/lifecycle/addons` reports of each running add-on. */
export interface LiveAddon {
  type: string;
  external: boolean;
  url: string | null;
  password: string | null;
}

export class AddonProvider implements Provider<AddonAttrs, AddonAttrs, Space> {
  readonly kind = 'addon';
  readonly order = ORDER.addon;
  readonly ownsUnrecorded = false;
  /** A moved add-on is renamed with its data. */
  readonly canMove = true;
  constructor(
    private readonly control: Call,
    private readonly urlKey: string,
  ) {}

  private wanted = new Map<string, AddonAttrs>();

  desired(space: Space): Map<string, AddonAttrs> {
    this.wanted = new Map(Object.entries(space.config.addons).map(([n, a]) => [`addons.${n}`, { type: a.type, external: Boolean(a.url), ...addonUrl(a.url, this.urlKey) }]));
    return this.wanted;
  }

  /** The add-on services the control plane runs, as it compares them (their URLs fingerprinted with the same key). */
  async read(): Promise<Map<string, AddonAttrs>> {
    const r = await this.control<{ addons: Record<string, LiveAddon> }>('GET', '/v1/lifecycle/addons').catch(() => this.fromStatus());
    return new Map(Object.entries(r.addons).map(([name, a]) => [`addons.${name}`, { type: a.type, external: a.external, url: a.url, password: a.password }]));
  }

  /**
   * A control plane started by an older build has no /v1/lifecycle/addons: its status tells type and kind, not
   * the URL, which then counts as the file's (as before this route existed).
   */
  private async fromStatus(): Promise<{ addons: Record<string, LiveAddon> }> {
    const st = await this.control<{ services?: Record<string, Record<string, unknown>> }>('GET', '/v1/status');
    const addons: Record<string, LiveAddon> = {};
    for (const [name, s] of Object.entries(st.services ?? {})) {
      if (!name.startsWith('addons.')) continue;
      const external = s.external === true || s.embedded === false;
      const w = this.wanted.get(name);
      addons[name.slice('addons.'.length)] = { type: typeof s.type === 'string' ? s.type : 'unknown', external, url: w?.url ?? null, password: w?.password ?? null };
    }
    return { addons };
  }

  diff(want: AddonAttrs | undefined, have: AddonAttrs | undefined): ChangeSpec<AddonAttrs, AddonAttrs>[] {
    const what = (a: AddonAttrs) => (a.type === 'postgres' ? 'database' : 'topic');
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) {
      const destroysData = have.external ? undefined : `its apps lose it (its ${what(have)} data stays on disk until destroy --include-data)`;
      return [{ action: 'delete', before: have, destroysData }];
    }
    if (want && have && (want.type !== have.type || want.external !== have.external || want.url !== have.url || want.password !== have.password)) {
      const reason = want.type !== have.type ? 'type changed' : want.url === have.url && want.external === have.external ? 'url password changed' : 'url changed';
      // Only an embedded add-on leaves data behind; its apps move to the new one in a release of their own.
      const next = want.external ? `the external ${want.type === 'postgres' ? 'database' : 'cluster'} at ${want.url}` : `a new embedded ${want.type} add-on`;
      const destroysData = have.external ? undefined : `its apps switch to ${next}; the ${what(have)} data of the embedded one stays on disk until destroy --include-data`;
      return [{ action: 'replace', before: have, after: want, reason, destroysData }];
    }
    return [];
  }

  /**
   * `--replace`: stopped and started anew. An embedded one starts empty (its data is deleted, a database gets new
   * credentials), and the apps attaching it are released with its new variables; an external one only reconnects.
   */
  replace(want: AddonAttrs, have: AddonAttrs): ChangeSpec<AddonAttrs, AddonAttrs> {
    const destroysData = have.external
      ? undefined
      : have.type === 'postgres'
        ? 'its database is deleted with every row: a new, empty one starts with new credentials, and the apps attaching it are released with the new DATABASE_URL'
        : 'its topics are deleted with their records: a new, empty broker starts with the file\'s topics';
    return { action: 'replace', before: have, after: want, destroysData };
  }

  async apply(c: Change<AddonAttrs, AddonAttrs>): Promise<void> {
    const name = c.address.slice('addons.'.length);
    if (c.action === 'move') {
      await this.control('POST', `/v1/lifecycle/addons/${seg(c.from!.slice('addons.'.length))}/move`, { to: name });
      return;
    }
    if (c.action === 'replace') {
      // A requested replacement of an embedded add-on starts from empty data; a changed type or url keeps it on disk.
      await this.control('POST', `/v1/lifecycle/addons/${seg(name)}/replace`, c.requested && !c.before?.external ? { fresh: true } : undefined);
      return;
    }
    if (c.action === 'delete') await this.control('DELETE', `/v1/lifecycle/addons/${seg(name)}`);
    else await this.control('PUT', `/v1/lifecycle/addons/${seg(name)}`);
  }
}
