/**
 * The control plane's side of applying add-ons in a running space (the add-on provider calls these):
 *
 *   PUT    /v1/lifecycle/addons/:name          start the add-on the file declares (initdb, broker...)
 *   DELETE /v1/lifecycle/addons/:name          stop it; its data stays on disk (`destroy --include-data` deletes it)
 *   POST   /v1/lifecycle/addons/:name/move     {to}: stop it, rename its data, credentials and port, start it as `to`
 *   POST   /v1/lifecycle/addons/:name/replace  stop it, start what the file now says (another type or url), and
 *                                              release and roll the apps whose add-on vars changed with it
 *   GET    /v1/lifecycle/addons                every running add-on as the add-on provider compares it
 *
 * Apps attaching an added, moved or removed add-on are updated by their own changes (after add-ons are created
 * and moved, before they are deleted), each a release with the new vars and a rolling restart. A replaced one
 * changes no app's definition, so its route releases the apps itself (`Replace db (DATABASE_URL)`).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedApp } from '../config/load.js';
import type { ControlPlane } from '../control/plane.js';
import type { Router } from '../control/router.js';
import { ControlError } from '../control/router-types.js';
import { startAddon, stopAddon } from '../control/live-addons.js';
import { reload, serial } from './control-routes.js';
import { moveAddon } from './start-moves.js';
import { addonUrl } from './addon-url.js';
import { changedVars, servicesEnv } from './attach-release.js';
import { releaseAndRoll } from './release-phase.js';
import type { LiveAddon } from './providers/addon.js';

const NAME = /^[a-z][a-z0-9-]*$/i;

function addonName(raw: string | undefined): string {
  if (!raw || !NAME.test(raw)) throw new ControlError(400, 'bad_name', `"${raw ?? ''}" is not an add-on name`);
  return raw;
}

/** A stopped embedded add-on's data: a database through the Postgres add-on (directory, credentials, port), a broker's directory. */
async function deleteAddonData(plane: ControlPlane, name: string): Promise<void> {
  const dir = plane.space.stateDir;
  if (existsSync(join(dir, 'postgres', name))) {
    const { destroyPostgresData } = await import('../addons/postgres/index.js');
    destroyPostgresData(plane.state, dir, name);
  }
  rmSync(join(dir, 'events', name), { recursive: true, force: true });
}

export function addonRoutes(router: Router, plane: ControlPlane): void {
  router.add('PUT', '/v1/lifecycle/addons/:name', (req) =>
    serial(async () => {
      const name = addonName(req.params.name);
      const space = await reload(plane);
      if (!space.config.addons[name]) throw new ControlError(404, 'not_in_config', `addons.${name} is not in spaceport.yaml; run \`spaceport plan\` again`);
      if (plane.services.some((s) => s.name === `addons.${name}`)) return { addon: name, started: false };
      await startAddon(plane, space, name).catch((err: Error) => {
        throw new ControlError(422, 'addon_failed', err.message);
      });
      return { addon: name, started: true };
    }),
  );

  router.add('DELETE', '/v1/lifecycle/addons/:name', (req) =>
    serial(async () => {
      const name = addonName(req.params.name);
      const stopped = await stopAddon(plane, name);
      return { addon: name, stopped };
    }),
  );

  router.add('POST', '/v1/lifecycle/addons/:name/move', (req) =>
    serial(async () => {
      const from = addonName(req.params.name);
      const to = addonName((req.body as { to?: string } | undefined)?.to);
      const space = await reload(plane);
      if (!space.config.addons[to]) throw new ControlError(404, 'not_in_config', `addons.${to} is not in spaceport.yaml; run \`spaceport plan\` again`);
      if (plane.services.some((s) => s.name === `addons.${to}`)) throw new ControlError(409, 'exists', `addons.${to} already runs`);
      // The server stops before its data directory moves; apps attaching it reconnect once it is back.
      await stopAddon(plane, from);
      moveAddon(plane.space.stateDir, plane.state, `addons.${from}`, `addons.${to}`);
      await startAddon(plane, space, to).catch((err: Error) => {
        throw new ControlError(422, 'addon_failed', err.message);
      });
      return { addon: to, from };
    }),
  );

  router.add('GET', '/v1/lifecycle/addons', () => {
    const key = plane.state.read().internalApiKey ?? '';
    const addons: Record<string, LiveAddon> = {};
    for (const svc of plane.services) {
      if (!svc.name.startsWith('addons.')) continue;
      const name = svc.name.slice('addons.'.length);
      const st = svc.status();
      // Every add-on service of this build says `external` (the Kafka one too, since events/external.ts has it).
      const external = st.external === true;
      // The URL an app attaching it gets: the one thing every add-on type gives (no subsystem named here).
      const probe = { name: '', addons: [name] } as unknown as ResolvedApp;
      const raw = external ? Object.values(svc.envFor?.(probe) ?? {})[0] : undefined;
      addons[name] = { type: typeof st.type === 'string' ? st.type : 'unknown', external, ...addonUrl(raw, key) };
    }
    return { addons };
  });

  router.add('POST', '/v1/lifecycle/addons/:name/replace', (req) =>
    serial(async () => {
      const name = addonName(req.params.name);
      const space = await reload(plane);
      if (!space.config.addons[name]) throw new ControlError(404, 'not_in_config', `addons.${name} is not in spaceport.yaml; run \`spaceport plan\` again`);
      // What each running app gets from the services now, to release those whose vars the replacement changes.
      const running = [...plane.runtime.formations.values()].filter((f) => f.release && f.dynos.size > 0);
      const before = new Map(running.map((f) => [f, servicesEnv(plane, f.app)]));
      await stopAddon(plane, name);
      // `apply --replace addons.<name>`: the embedded add-on starts from nothing (its data and credentials deleted).
      if ((req.body as { fresh?: unknown } | undefined)?.fresh === true) await deleteAddonData(plane, name);
      await startAddon(plane, space, name).catch((err: Error) => {
        throw new ControlError(422, 'addon_failed', `${err.message}; the apps attaching ${name} keep their previous variables until it starts: fix it and apply again`);
      });
      const released = await Promise.all(
        running.map(async (f) => {
          const changed = changedVars(before.get(f)!, servicesEnv(plane, f.app));
          if (changed.length === 0 || !f.release) return undefined;
          const { config, processes, build } = f.release;
          await releaseAndRoll(plane, f.app, { description: `Replace ${name} (${changed.join(', ')})`, config, processes, build });
          return f.app.name;
        }),
      );
      return { addon: name, replaced: true, released: released.filter(Boolean) };
    }),
  );
}
