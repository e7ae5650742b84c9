/**
 * The node_modules of a kept build (`.spaceport/builds/<app>/<hash>/`). Registry packages are linked, not
 * copied (as before: a build is its own files, not its dependencies). Workspace packages are copied, built
 * outputs included: they are part of the build's source (its hash covers them), so a `rollback` must run them as
 * they were when it was built, not as their folder is now.
 *
 * An app with no local package gets a link to its root's node_modules, as before. One with some gets a folder:
 * a copy of each local package under the name it is required by, then a link for every other name Node would
 * find from the app's root (its node_modules, then each folder's above it: the nearest wins, as in Node's
 * lookup). So the build resolves what its root resolved, wherever the space's directory is, even when the
 * package manager hoisted everything to the workspace's root.
 */
import { cp, mkdir, readdir, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LocalPackage } from './workspace-packages.js';

/** Never copied into a kept build: dependencies (linked instead), VCS data, our own state. */
export const NOT_COPIED = new Set(['node_modules', '.git', '.spaceport']);

const skipNotCopied = (src: string) => !NOT_COPIED.has(src.slice(src.lastIndexOf('/') + 1));

async function isDir(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Gives the build at `dir` (a copy of `root`) its node_modules. */
export async function keepModules(dir: string, root: string, packages: readonly LocalPackage[]): Promise<void> {
  if (packages.length === 0) {
    if (await isDir(join(root, 'node_modules'))) await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
    return;
  }
  const modules = join(dir, 'node_modules');
  const placed = new Set<string>();
  for (const p of packages) {
    if (placed.has(p.name)) continue;
    placed.add(p.name);
    const to = join(modules, p.name);
    await mkdir(dirname(to), { recursive: true });
    await cp(p.dir, to, { recursive: true, filter: skipNotCopied });
    // Its own dependencies, where the package manager did not hoist them.
    if (await isDir(join(p.dir, 'node_modules'))) await symlink(join(p.dir, 'node_modules'), join(to, 'node_modules'));
  }
  for (let d = root; ; d = dirname(d)) {
    const from = join(d, 'node_modules');
    if (await isDir(from)) await linkNames(from, modules, placed);
    if (dirname(d) === d) break;
  }
}

/** Links each package of `from` into `to` whose name is not placed yet (scoped names one by one). */
async function linkNames(from: string, to: string, placed: Set<string>): Promise<void> {
  for (const e of await readdir(from)) {
    if (e.startsWith('.')) continue; // .bin, .package-lock.json, caches
    const names = e.startsWith('@') ? (await isDir(join(from, e)) ? (await readdir(join(from, e))).map((n) => `${e}/${n}`) : []) : [e];
    for (const name of names) {
      if (placed.has(name)) continue;
      placed.add(name);
      await mkdir(dirname(join(to, name)), { recursive: true });
      await symlink(join(from, name), join(to, name));
    }
  }
}
