/**
 * The control plane's side of applying add-ons in a running space (the add-on provider calls these):
 *
 *   PUT    /v1/lifecycle/addons/:name          start the add-on the file declares (initdb, broker...)
 *   DELETE /v1/lifecycle/addons/:name          stop it; its data stays on disk (`destroy --include-data` deletes it)
 *   POST   /v1/lifecycle/addons/:name/move     {to}: stop it, rename its data, credentials and port, start it as `to`
 *
 * Apps attaching an add-on are updated by their own changes (after add-ons are created and moved, before
 * they are deleted), each a release with the new vars and a rolling restart.
 */
import type { ControlPlane } from '../control/plane.js';
import type { Router } from '../control/router.js';
import { ControlError } from '../control/router-types.js';
import { startAddon, stopAddon } from '../control/live-addons.js';
import { reload, serial } from './control-routes.js';
import { moveAddon } from './start-moves.js';

const NAME = /^[a-z][a-z0-9-]*$/i;

function addonName(raw: string | undefined): string {
  if (!raw || !NAME.test(raw)) throw new ControlError(400, 'bad_name', `"${raw ?? ''}" is not an add-on name`);
  return raw;
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
}
