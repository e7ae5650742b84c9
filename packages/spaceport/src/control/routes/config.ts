/** Config vars and releases: GET/PATCH /v1/apps/:app/config, GET /v1/apps/:app/releases. */
import type { Router } from '../router.js';
import type { ControlPlane } from '../plane.js';
import { ControlError } from '../router-types.js';
import { formationOf, objectBody } from './util.js';
import { appReleases, effectiveConfig } from '../../runtime/releases.js';

export const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by the runtime after the config vars on every dyno (runtime.ts): a config var of these names never applies. */
export const PLATFORM_VARS = ['PORT', 'DYNO', 'APP_NAME', 'INTERNAL_API_KEY'];

export function configRoutes(router: Router, plane: ControlPlane): void {
  router.add('GET', '/v1/apps/:app/config', (req) => {
    const f = formationOf(plane, req.params.app);
    return effectiveConfig(f.app.env, appReleases(plane.state.read(), f.app.name).overrides);
  });

  router.add('PATCH', '/v1/apps/:app/config', async (req) => {
    const f = formationOf(plane, req.params.app);
    const body = objectBody(req.body);
    const set = (body.set ?? {}) as Record<string, unknown>;
    const unset = (body.unset ?? []) as unknown[];
    for (const [k, v] of Object.entries(set)) {
      if (!KEY_RE.test(k)) throw new ControlError(400, 'bad_key', `${k}: config var names are letters, digits and _, not starting with a digit`);
      if (typeof v !== 'string') throw new ControlError(400, 'bad_value', `${k}: the value must be a string`);
      if (PLATFORM_VARS.includes(k)) {
        throw new ControlError(400, 'platform_var', `${k} is set by the platform for every dyno and a config var cannot override it (the dyno would still get the platform's value)`);
      }
    }
    if (!Array.isArray(unset) || unset.some((k) => typeof k !== 'string')) throw new ControlError(400, 'bad_unset', 'unset must be a list of names');
    if (Object.keys(set).length === 0 && unset.length === 0) throw new ControlError(400, 'nothing_to_change', 'give at least one KEY=VALUE (config:set) or KEY (config:unset)');
    // Removing a var that is not set changes nothing: no release for it (`notSet` says which), none at all when
    // nothing else changes (release null), so the dynos are not restarted for nothing.
    const current = effectiveConfig(f.app.env, appReleases(plane.state.read(), f.app.name).overrides);
    const removing = [...new Set(unset as string[])].filter((k) => k in current);
    const notSet = (unset as string[]).filter((k) => !(k in current));
    if (Object.keys(set).length === 0 && removing.length === 0) return { release: null, description: 'nothing changed', config: current, notSet };
    try {
      const rel = await plane.runtime.setConfig(f.app.name, set as Record<string, string>, removing);
      return { release: `v${rel.version}`, description: rel.description, config: rel.config, notSet };
    } catch (err) {
      throw new ControlError(422, 'release_failed', plane.withLastOutput((err as Error).message));
    }
  });

  router.add('GET', '/v1/apps/:app/releases', (req) => {
    const f = formationOf(plane, req.params.app);
    const r = appReleases(plane.state.read(), f.app.name);
    return r.releases
      .map((x) => ({ version: `v${x.version}`, description: x.description, created: x.created, status: x.status, current: x.version === r.current, build: x.build?.hash ?? null }))
      .reverse();
  });
}
