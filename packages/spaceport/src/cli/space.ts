/**
 * Where the CLI finds the space: `-f FILE`, or the nearest spaceport.yaml walking up from the cwd, as git
 * finds `.git` (config/find-file.ts, which loads no parser: commands talking to a running space stay fast).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_FILE, findConfigFile } from '../config/find-file.js';
import { CliError } from './errors.js';

export interface SpacePaths {
  file: string;
  dir: string;
  stateDir: string;
  socket: string;
}

export function locateSpace(explicit?: string, cwd = process.cwd()): SpacePaths {
  const file = findConfigFile(explicit, cwd);
  if (!file) throw new CliError(`no ${CONFIG_FILE} here or in any parent directory; cd into a space or pass -f FILE`);
  if (explicit && !existsSync(file)) throw new CliError(`${explicit}: file not found`);
  const dir = dirname(file);
  const stateDir = join(dir, '.spaceport');
  return { file, dir, stateDir, socket: join(stateDir, 'control.sock') };
}
