/**
 * Config vars (`apps.<name>.config`): the file's `env`. Drift is a `config:set`/`config:unset` made by hand;
 * apply sets the vars to exactly the file's (a new release, rolling the dynos), adopt writes them into `env:`.
 */
import type { Space } from '../../config/load.js';
import { sameValue } from '../canonical.js';
import { ORDER, type Change, type ChangeSpec, type Provider, type YamlEdit } from '../types.js';
import { seg, type Call, type LiveApps } from './clients.js';

export interface ConfigAttrs {
  vars: Record<string, string>;
}

export class ConfigProvider implements Provider<ConfigAttrs, ConfigAttrs, Space> {
  readonly kind = 'config';
  readonly order = ORDER.config;
  readonly ownsUnrecorded = true;
  constructor(
    private readonly control: Call,
    private readonly live: LiveApps,
  ) {}

  desired(space: Space): Map<string, ConfigAttrs> {
    return new Map(Object.values(space.config.apps).map((a) => [`apps.${a.name}.config`, { vars: { ...a.env } }]));
  }

  async read(): Promise<Map<string, ConfigAttrs>> {
    const apps = await this.live.get();
    return new Map(Object.entries(apps).map(([name, a]) => [`apps.${name}.config`, { vars: { ...a.config } }]));
  }

  diff(want: ConfigAttrs | undefined, have: ConfigAttrs | undefined): ChangeSpec<ConfigAttrs, ConfigAttrs>[] {
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have }];
    if (want && have && !sameValue(want.vars, have.vars)) return [{ action: 'update', before: have, after: want }];
    return [];
  }

  async apply(c: Change<ConfigAttrs, ConfigAttrs>): Promise<void> {
    const app = c.address.split('.')[1]!;
    // The vars go with the app: a deleted app's config needs nothing, a moved one moved with its app.
    if (c.action === 'delete' || c.action === 'move') return;
    await this.control('PUT', `/v1/lifecycle/apps/${seg(app)}/config`, { vars: c.after!.vars });
  }

  adopt(address: string, live: ConfigAttrs | undefined, want: ConfigAttrs | undefined): YamlEdit[] {
    const app = address.split('.')[1]!;
    const edits: YamlEdit[] = [];
    const have = live?.vars ?? {};
    const was = want?.vars ?? {};
    for (const [k, v] of Object.entries(have)) if (was[k] !== v) edits.push({ path: ['apps', app, 'env', k], value: v });
    for (const k of Object.keys(was)) if (!(k in have)) edits.push({ path: ['apps', app, 'env', k], value: undefined });
    return edits;
  }
}
