/** The ServiceContext a platform service gets: state, logs, the supervisor, stable ports, the dyno list. */
import type { Space } from '../config/load.js';
import type { StateStore } from '../state/store.js';
import type { LogSink } from '../runtime/log-line.js';
import type { ProcessSupervisor } from '../runtime/supervisor.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ServiceContext } from './service.js';
import type { Router } from './router.js';
import { stablePort } from './ports.js';

export function serviceContext(deps: {
  space: Space;
  state: StateStore;
  log: LogSink;
  supervisor: ProcessSupervisor;
  router: Router;
  internalApiKey: string;
  runtime: () => Runtime;
}): ServiceContext {
  return {
    space: deps.space,
    state: deps.state,
    log: deps.log,
    supervisor: deps.supervisor,
    internalApiKey: deps.internalApiKey,
    control: deps.router,
    port: (key, preferred) => stablePort(deps.state, key, preferred),
    dynos: () => deps.runtime().dynos(),
    onDynos: (fn) => deps.runtime().onDynos(fn),
  };
}
