/**
 * Workspace packages: local packages an app depends on (npm/yarn/pnpm workspaces, `file:` and `link:`
 * dependencies), which package managers link into node_modules instead of copying. They are the app's source as
 * much as its own files: a change in one must make a new build and release of every app that uses it, and of no
 * other. Found from package.json, never guessed from imports:
 *   - the app root's `dependencies`, `devDependencies`, `optionalDependencies` and `peerDependencies` (a package's
 *     own devDependencies are its build tools, so only the app's count), then each local package's, transitively;
 *   - each name is looked up as Node does, in `node_modules/<name>` of the folder and every folder above it; one
 *     whose real path lies in no node_modules is local (a registry package's real path always does);
 *   - a `file:`/`link:` dependency that is not installed counts by its path, so a fresh clone hashes the same.
 * A local package inside the app's root or an `include:` folder is already hashed; one that holds the root (a
 * workspace's own root package) is not a dependency worth hashing whole, and is left out.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const APP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
const PACKAGE_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** `dir` itself or a folder inside it. */
export function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function readDeps(dir: string, fields: readonly string[]): [string, string][] {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return []; // no package.json, or one npm could not read either: no dependencies to follow
  }
  const out: [string, string][] = [];
  for (const f of fields) {
    const deps = pkg[f];
    if (deps && typeof deps === 'object') for (const [name, spec] of Object.entries(deps)) if (typeof spec === 'string') out.push([name, spec]);
  }
  return out;
}

/** Where Node would load `name` from when required in `dir`: the real path of the first node_modules hit. */
function installed(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const p = join(d, 'node_modules', name);
    if (existsSync(p)) {
      try {
        return realpathSync(p);
      } catch {
        return undefined;
      }
    }
    if (dirname(d) === d) return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The local package folder a dependency resolves to, or undefined for a registry package or one not installed. */
function localPackage(dir: string, name: string, spec: string): string | undefined {
  const real = installed(dir, name);
  if (real) return real.split(sep).includes('node_modules') ? undefined : real;
  const m = /^(?:file|link):(.+)$/.exec(spec);
  if (m && !m[1]!.endsWith('.tgz')) {
    const p = resolve(dir, m[1]!);
    if (isDir(p)) return realpathSync(p);
  }
  return undefined;
}

/** A local package as the app or another local package requires it: `node_modules/<name>` is `dir`. */
export interface LocalPackage {
  name: string;
  dir: string;
  /** Inside an `include:` folder: hashed as part of it. */
  included: boolean;
}

/**
 * Every local package an app at `root` depends on, directly or through another local package, sorted by folder;
 * those inside root or holding it are left out (root's own files, or the whole workspace).
 */
export function localPackages(root: string, include: readonly string[] = []): LocalPackage[] {
  const realRoot = isDir(root) ? realpathSync(root) : resolve(root);
  const folders = include.map((d) => (isDir(d) ? realpathSync(d) : resolve(d)));
  const found: LocalPackage[] = [];
  const queue: { dir: string; fields: readonly string[] }[] = [{ dir: realRoot, fields: APP_FIELDS }];
  const visited = new Set<string>([realRoot]);
  while (queue.length) {
    const { dir, fields } = queue.shift()!;
    for (const [name, spec] of readDeps(dir, fields)) {
      const pkg = localPackage(dir, name, spec);
      if (!pkg || visited.has(pkg)) continue;
      visited.add(pkg);
      // Its own dependencies are followed even when it is left out of the list (inside root: hashed already).
      queue.push({ dir: pkg, fields: PACKAGE_FIELDS });
      if (within(pkg, realRoot) || within(realRoot, pkg)) continue;
      found.push({ name, dir: pkg, included: folders.some((f) => within(pkg, f)) });
    }
  }
  return found.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** The folders (real, absolute paths, sorted) of the local packages that add to an app's source hash. */
export function workspacePackages(root: string, include: readonly string[] = []): string[] {
  return localPackages(root, include)
    .filter((p) => !p.included)
    .map((p) => p.dir);
}
