/**
 * Add-ons (`addons.<name>`): Postgres and Kafka, platform services of the control plane. Apply starts an
 * added one in the running space, stops a removed one, and renames a moved one with its data (stopped,
 * renamed on disk and in state, started under the new name); the apps attaching them follow as their own
 * changes. Removing or replacing an embedded one keeps its data on disk but needs --allow-destroy: its apps
 * lose it (and a rename without moved: would start an empty one); `destroy --include-data` deletes the data.
 */
import type { Space } from '../../config/load.js';
import { ORDER, type Change, type ChangeSpec, type Provider } from '../types.js';
import { seg, type Call } from './clients.js';

export interface AddonAttrs {
  type: string;
  /** External server instead of the embedded one. */
  external: boolean;
}

export class AddonProvider implements Provider<AddonAttrs, AddonAttrs, Space> {
  readonly kind = 'addon';
  readonly order = ORDER.addon;
  readonly ownsUnrecorded = false;
  /** A moved add-on is renamed with its data. */
  readonly canMove = true;
  private wanted = new Map<string, AddonAttrs>();
  constructor(private readonly control: Call) {}

  desired(space: Space): Map<string, AddonAttrs> {
    this.wanted = new Map(Object.entries(space.config.addons).map(([n, a]) => [`addons.${n}`, { type: a.type, external: Boolean(a.url) }]));
    return this.wanted;
  }

  /** The add-on services the control plane runs (`addons.<name>` in `/v1/status`). */
  async read(): Promise<Map<string, AddonAttrs>> {
    const st = await this.control<{ services?: Record<string, Record<string, unknown>> }>('GET', '/v1/status');
    const out = new Map<string, AddonAttrs>();
    for (const [name, s] of Object.entries(st.services ?? {})) {
      if (!name.startsWith('addons.')) continue;
      const w = this.wanted.get(name);
      const type = typeof s.type === 'string' ? s.type : (w?.type ?? 'unknown');
      const external = typeof s.external === 'boolean' ? s.external : (w?.external ?? false);
      out.set(name, { type, external });
    }
    return out;
  }

  diff(want: AddonAttrs | undefined, have: AddonAttrs | undefined): ChangeSpec<AddonAttrs, AddonAttrs>[] {
    const data = (a: AddonAttrs) => (a.external ? undefined : `its apps lose it (its ${a.type === 'postgres' ? 'database' : 'topic'} data stays on disk until destroy --include-data)`);
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have, destroysData: data(have) }];
    if (want && have && (want.type !== have.type || want.external !== have.external)) {
      return [{ action: 'replace', before: have, after: want, reason: want.type !== have.type ? 'type changed' : 'url changed', destroysData: data(have) }];
    }
    return [];
  }

  async apply(c: Change<AddonAttrs, AddonAttrs>): Promise<void> {
    const name = c.address.slice('addons.'.length);
    if (c.action === 'move') {
      await this.control('POST', `/v1/lifecycle/addons/${seg(c.from!.slice('addons.'.length))}/move`, { to: name });
      return;
    }
    if (c.action === 'delete' || c.action === 'replace') await this.control('DELETE', `/v1/lifecycle/addons/${seg(name)}`);
    if (c.action !== 'delete') await this.control('PUT', `/v1/lifecycle/addons/${seg(name)}`);
  }
}
