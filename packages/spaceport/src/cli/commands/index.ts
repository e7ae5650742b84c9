/**
 * Every CLI command module, one line each: `export { register as <name> } from './<name>.js';`.
 * A module's top level imports only types; heavy modules load inside the action so `spaceport ps` starts fast.
 */
export { register as validate } from './validate.js';
export { register as pg } from './pg.js';
