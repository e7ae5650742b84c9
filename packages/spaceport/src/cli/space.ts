/**
 * Where the CLI finds the space: `-f FILE`, or the nearest spaceport.yaml walking up from the cwd, as git
 * finds `.git`. Same rule as config/load.ts findConfigFile, repeated here so that commands talking to a
 * running space do not load the config parser (zod, yaml) on their hot path.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

const CONFIG_FILE = 'spaceport.yaml';

export interface SpacePaths {
  file: string;
  dir: string;
  stateDir: string;
  socket: string;
}

export function locateSpace(explicit?: string, cwd = process.cwd()): SpacePaths {
  const file = explicit ? resolve(cwd, explicit) : findUp(cwd);
  if (!file) throw new CliError(`no ${CONFIG_FILE} here or in any parent directory; cd into a space or pass -f FILE`);
  if (explicit && !existsSync(file)) throw new CliError(`${explicit}: file not found`);
  const dir = dirname(file);
  const stateDir = join(dir, '.spaceport');
  return { file, dir, stateDir, socket: join(stateDir, 'control.sock') };
}

function findUp(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
