/** Registers the core routes of the control API. */
import type { Router } from '../router.js';
import type { ControlPlane } from '../plane.js';
import { statusRoutes } from './status.js';
import { dynoRoutes } from './dynos.js';
import { configRoutes } from './config.js';
import { logRoutes } from './logs.js';
import { lifecycleRoutes } from '../../plan/control-routes.js';

export function registerRoutes(router: Router, plane: ControlPlane): void {
  statusRoutes(router, plane);
  dynoRoutes(router, plane);
  configRoutes(router, plane);
  logRoutes(router, plane);
  lifecycleRoutes(router, plane);
}
