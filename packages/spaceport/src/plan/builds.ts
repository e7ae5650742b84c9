/**
 * Builds: an app's source is hashed (sha256 over every file's path and content, build outputs and
 * dependencies left out, so building does not change it). After a build succeeds in the app's root, the
 * result (outputs included) is copied to `.spaceport/builds/<app>/<hash>/`, so an earlier build can run again
 * without a rebuild (`rollback`). The last 5 builds of an app are kept, plus any a kept release still needs.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Never copied into a kept build: dependencies (linked instead), VCS data, our own state. */
const NOT_COPIED = new Set(['node_modules', '.git', '.spaceport']);

/** Never part of a build's source hash: dependencies, VCS data, build outputs, logs. */
export const IGNORED = new Set(['node_modules', '.git', '.spaceport', 'dist', 'build', 'coverage', '.cache', '.next', '.turbo']);

function walk(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(e.name) || e.name.endsWith('.log')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

/** Content hash of an app's source (first 16 hex digits of a sha256); stable across copies and mtimes. */
export function sourceHash(root: string): string {
  const files: string[] = [];
  if (existsSync(root)) walk(root, root, files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update('\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export function buildsDir(stateDir: string, app: string): string {
  return join(stateDir, 'builds', app);
}

/** The directory of a build, if it is still kept. */
export function buildDir(stateDir: string, app: string, hash: string): string | undefined {
  const dir = join(buildsDir(stateDir, app), hash);
  return existsSync(join(dir, '.spaceport-build.json')) ? dir : undefined;
}

/**
 * Keeps the build that just succeeded in `root`: copies it (outputs included) to the build directory for
 * `hash`, links the root's node_modules, and marks it complete. An existing complete copy is reused.
 */
export function keepBuild(stateDir: string, app: string, root: string, hash: string): string {
  const have = buildDir(stateDir, app, hash);
  if (have) return have;
  const base = buildsDir(stateDir, app);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const tmp = join(base, `.${hash}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  cpSync(root, tmp, { recursive: true, filter: (src) => src === root || !NOT_COPIED.has(src.slice(src.lastIndexOf('/') + 1)) });
  if (existsSync(join(root, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
  markBuilt(tmp, { app, hash });
  const dir = join(base, hash);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** Marks a build complete: only complete builds are reused or rolled back to. */
function markBuilt(dir: string, info: { app: string; hash: string; command?: string }): void {
  writeFileSync(join(dir, '.spaceport-build.json'), JSON.stringify({ ...info, built: new Date().toISOString() }) + '\n');
}

/** Removes an app's builds beyond the newest `keep`, except those listed in `needed` (hashes). */
export function pruneBuilds(stateDir: string, app: string, needed: Iterable<string>, keep = 5): string[] {
  const base = buildsDir(stateDir, app);
  if (!existsSync(base)) return [];
  const want = new Set(needed);
  const builds = readdirSync(base)
    .filter((n) => !n.startsWith('.'))
    .map((n) => ({ n, t: statSync(join(base, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const removed: string[] = [];
  builds.forEach((b, i) => {
    if (i < keep || want.has(b.n)) return;
    rmSync(join(base, b.n), { recursive: true, force: true });
    removed.push(b.n);
  });
  for (const n of readdirSync(base)) if (n.startsWith('.') && n.endsWith('.tmp')) rmSync(join(base, n), { recursive: true, force: true });
  return removed;
}
