/**
 * Where the CLI finds the space: `-f FILE`, or the nearest spaceport.yaml walking up from the cwd, as git
 * finds `.git` (config/find-file.ts, which loads no parser: commands talking to a running space stay fast).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
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
  if (!file) {
    // From the repository root after `npm start`, the space is below: name it (only on this error path).
    const below = runningBelow(cwd);
    const hint = below.length
      ? `; a space runs in ${below.join(', ')}: cd there or pass -f ${join(below[0]!, CONFIG_FILE)}`
      : '; cd into a space or pass -f FILE';
    throw new CliError(`no ${CONFIG_FILE} here or in any parent directory${hint}`);
  }
  if (explicit && !existsSync(file)) {
    throw new CliError(file.endsWith(`/${CONFIG_FILE}`) && !explicit.endsWith(CONFIG_FILE) ? `${explicit} has no ${CONFIG_FILE}` : `${explicit}: file not found`);
  }
  const dir = dirname(file);
  const stateDir = join(dir, '.spaceport');
  checkOwner(file, stateDir);
  return { file, dir, stateDir, socket: join(stateDir, 'control.sock') };
}

/** `.spaceport/space-file`: the name of the config file whose space the state is (written by `up`). */
const OWNER = 'space-file';

/**
 * A directory holds one space: its state (`.spaceport/`: ports, releases, database data, the running control plane)
 * sits beside the file. `-f staging.yaml` next to the spaceport.yaml whose space ran there would otherwise act on
 * that space: `ps` listed its dynos, `plan` planned to destroy its apps, `up` gave staging its databases. A file
 * renamed (the recorded one is gone) takes the state over.
 */
function checkOwner(file: string, stateDir: string): void {
  let owner: string;
  try {
    owner = readFileSync(join(stateDir, OWNER), 'utf8').trim();
  } catch {
    return; // never started, or started before the record existed
  }
  if (!owner || owner === basename(file) || !existsSync(join(dirname(file), owner))) return;
  const dir = relative(process.cwd(), dirname(file)) || '.';
  throw new CliError(
    `${basename(file)} is not the space of ${join(dir, '.spaceport')}: that state belongs to ${owner} in the same directory, ` +
      `and a directory holds one space's state. Put ${basename(file)} in a directory of its own (its apps' root: paths relative to it), ` +
      `or use -f ${join(dir, owner)}`,
  );
}

/** Records which file's space the state is (by `up`, once the file is known to be this directory's space). */
export function recordOwner(paths: SpacePaths): void {
  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 });
  const path = join(paths.stateDir, OWNER);
  const name = basename(paths.file);
  try {
    if (readFileSync(path, 'utf8').trim() === name) return;
  } catch {
    /* not recorded yet */
  }
  writeFileSync(path, `${name}\n`, { mode: 0o600 });
}

/**
 * Directories up to 3 levels below `cwd` (node_modules and dot directories skipped, 2,000 read at most) holding a
 * space whose control socket exists.
 */
export function runningBelow(cwd: string, depth = 3): string[] {
  const out: string[] = [];
  let budget = 2000; // directories read at most: from / or a home directory this must stay quick
  const walk = (dir: string, left: number) => {
    if (out.length >= 3 || budget-- <= 0) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    if (names.includes(CONFIG_FILE) && existsSync(join(dir, '.spaceport', 'control.sock'))) out.push(relative(cwd, dir) || '.');
    if (left === 0) return;
    for (const n of names) if (!n.startsWith('.') && n !== 'node_modules') walk(join(dir, n), left - 1);
  };
  walk(cwd, depth);
  return out;
}
