/**
 * Formation (`apps.<name>.formation.<type>`): how many dynos of a process type run. Drift is a `scale` made
 * by hand; apply scales back, adopt writes the count into `scale:`.
 */
import type { Space } from '../../config/load.js';
import { ORDER, type Change, type ChangeSpec, type Provider, type YamlEdit } from '../types.js';
import { seg, type Call, type LiveApps } from './clients.js';

export interface FormationAttrs {
  count: number;
}

export class FormationProvider implements Provider<FormationAttrs, FormationAttrs, Space> {
  readonly kind = 'formation';
  readonly order = ORDER.formation;
  readonly ownsUnrecorded = true;
  constructor(
    private readonly control: Call,
    private readonly live: LiveApps,
  ) {}

  desired(space: Space): Map<string, FormationAttrs> {
    const out = new Map<string, FormationAttrs>();
    for (const app of Object.values(space.config.apps)) {
      for (const [type, count] of Object.entries(app.scale)) {
        if (type !== 'release') out.set(`apps.${app.name}.formation.${type}`, { count });
      }
    }
    return out;
  }

  async read(): Promise<Map<string, FormationAttrs>> {
    const out = new Map<string, FormationAttrs>();
    for (const [name, a] of Object.entries(await this.live.get())) {
      for (const [type, count] of Object.entries(a.scale)) if (type !== 'release') out.set(`apps.${name}.formation.${type}`, { count });
    }
    return out;
  }

  diff(want: FormationAttrs | undefined, have: FormationAttrs | undefined): ChangeSpec<FormationAttrs, FormationAttrs>[] {
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have }];
    if (want && have && want.count !== have.count) return [{ action: 'update', before: have, after: want }];
    return [];
  }

  async apply(c: Change<FormationAttrs, FormationAttrs>): Promise<void> {
    const [, app, , type] = c.address.split('.');
    // A process type removed from the app stops with the app's new release; a moved one moved with its app.
    if (c.action === 'delete' || c.action === 'move') return;
    await this.control('POST', `/v1/apps/${seg(app!)}/scale`, { [type!]: c.after!.count });
  }

  adopt(address: string, live: FormationAttrs | undefined, want: FormationAttrs | undefined): YamlEdit[] {
    if (live && want && live.count === want.count) return [];
    const [, app, , type] = address.split('.');
    return [{ path: ['apps', app!, 'scale', type!], value: live?.count ?? 0 }];
  }
}
