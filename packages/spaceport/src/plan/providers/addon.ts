/**
 * Add-ons (`addons.<name>`): Postgres and Kafka. They start and stop with the space (their processes are
 * platform services), so apply cannot add or rename one in a running space: it says so, and the next `up`
 * starts it (a `moved:` one renamed first, with its data).
 * Deleting a database loses its data: refused without --allow-destroy; destroy keeps it unless --include-data.
 */
import type { Space } from '../../config/load.js';
import { ORDER, type Change, type ChangeSpec, type Provider } from '../types.js';
import type { Call } from './clients.js';

export interface AddonAttrs {
  type: string;
  /** External server instead of the embedded one. */
  external: boolean;
}

export class AddonProvider implements Provider<AddonAttrs, AddonAttrs, Space> {
  readonly kind = 'addon';
  readonly order = ORDER.addon;
  readonly ownsUnrecorded = false;
  /** Renamed (moved:) when the space next starts, with its data; apply says so. */
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
    const data = (a: AddonAttrs) => (a.external ? undefined : a.type === 'postgres' ? 'its database and every row in it are deleted' : 'its topics and their records are deleted');
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have, destroysData: data(have) }];
    if (want && have && (want.type !== have.type || want.external !== have.external)) {
      return [{ action: 'replace', before: have, after: want, reason: want.type !== have.type ? 'type changed' : 'url changed', destroysData: data(have) }];
    }
    return [];
  }

  async apply(c: Change<AddonAttrs, AddonAttrs>): Promise<void> {
    // Add-on processes are platform services: they start with `up` and stop with `down`/`destroy`.
    if (c.action === 'delete') return;
    if (c.action === 'move') {
      throw new Error(`${c.from} is renamed to ${c.address} when the space starts, with its data: run \`spaceport down\` then \`spaceport up -d\``);
    }
    throw new Error(`${c.address} starts with the space: run \`spaceport down\` then \`spaceport up -d\` to ${c.action === 'create' ? 'start' : 'replace'} it`);
  }
}
