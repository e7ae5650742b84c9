/**
 * The lifecycle's platform service, started first: it renames add-ons the config moved (before they run),
 * then records the baseline state (what `up` makes run is the file), so the first `plan` after `up` can tell
 * drift from edits of the file.
 */
import type { PlatformService, ServiceFactory } from '../control/service.js';
import { applyMovesAtStart } from './start-moves.js';
import { recordBaseline } from './baseline.js';

export const lifecycleServices: ServiceFactory = (ctx) => {
  const svc: PlatformService = {
    name: 'lifecycle',
    async start() {
      for (const m of applyMovesAtStart(ctx.space, ctx.state)) {
        ctx.log.write({ source: 'spaceport', app: 'spaceport', dyno: 'lifecycle', message: `Renamed ${m} (moved:), with its data and history` });
      }
      recordBaseline(ctx.space, ctx.state);
    },
    async stop() {},
    status() {
      return { resources: Object.keys(ctx.state.read().resources).length };
    },
  };
  return [svc];
};
