/**
 * Where a space's spaceport.yaml is: `-f` if given, else the nearest one walking up from the cwd, as git
 * finds `.git`. Only node:fs and node:path, so the CLI's hot commands can use it without loading the parser.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILE = 'spaceport.yaml';

/** Finds spaceport.yaml: `-f` if given (a directory means its spaceport.yaml), else the nearest one walking up from `cwd`. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    return isDirectory(path) ? join(path, CONFIG_FILE) : path;
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
