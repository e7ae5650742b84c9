/**
 * The lifecycle's platform service: when the space starts, it records the baseline state (what `up` makes
 * run is the file), so the first `plan` after `up` can tell drift from edits of the file.
 */
import type { PlatformService, ServiceFactory } from '../control/service.js';
import { recordBaseline } from './baseline.js';

export const lifecycleServices: ServiceFactory = (ctx) => {
  const svc: PlatformService = {
    name: 'lifecycle',
    async start() {
      recordBaseline(ctx.space, ctx.state);
    },
    async stop() {},
    status() {
      return { resources: Object.keys(ctx.state.read().resources).length };
    },
  };
  return [svc];
};
