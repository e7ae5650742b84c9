/**
 * Every CLI command module, one line each: `export { register as <name> } from './<name>.js';`.
 * A module's top level imports only types; heavy modules load inside the action so `spaceport ps` starts fast.
 */
export { register as validate } from './validate.js';
export { register as pg } from './pg.js';
export { register as up } from './up.js';
export { register as down } from './down.js';
export { register as ps } from './ps.js';
export { register as scale } from './scale.js';
export { register as restart } from './restart.js';
export { register as run } from './run.js';
export { register as stop } from './stop.js';
export { register as config } from './config.js';
export { register as releases } from './releases.js';
export { register as logs } from './logs.js';
export { register as status } from './status.js';
export { register as topics } from './topics.js';
export { register as groups } from './groups.js';
export { register as routes } from './routes.js';
export { register as plan } from './plan.js';
export { register as apply } from './apply.js';
export { register as destroy } from './destroy.js';
export { register as output } from './output.js';
export { register as rollback } from './rollback.js';
export { register as addons } from './addons.js';
export { register as state } from './state.js';
export { register as importCommand } from './import.js';
