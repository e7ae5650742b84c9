/**
 * Builds: an app's source is hashed (sha256 over every file's path and content, build outputs and
 * dependencies left out, so building does not change it; its `include:` folders and the workspace packages it
 * depends on count as its source). After a build succeeds in the app's root, the
 * result (outputs included) is copied to `.spaceport/builds/<app>/<hash>/`, so an earlier build can run again
 * without a rebuild (`rollback`). The last 5 builds of an app are kept, plus any a kept release still needs.
 *
 * The control plane keeps and prunes builds with asynchronous file I/O: reading and copying a large app root
 * must not freeze its event loop (the progress line, `ps`, the control API). The CLI's plan hashes
 * synchronously (`sourceHash`); both hashes are the same function of the same files.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { keepModules, NOT_COPIED } from './build-modules.js';
import { localPackages, workspacePackages } from './workspace-packages.js';


/** Never part of a build's source hash: dependencies, VCS data, build outputs, logs. */
export const IGNORED = new Set(['node_modules', '.git', '.spaceport', 'dist', 'build', 'coverage', '.cache', '.next', '.turbo']);

/** Files read at once while hashing asynchronously: enough to keep the disk busy, few enough to bound memory. */
const READ_AHEAD = 16;

/** Logs, and TypeScript's build state (`tsc -b` writes tsconfig.tsbuildinfo beside tsconfig.json): outputs too. */
const hashed = (name: string): boolean => !IGNORED.has(name) && !name.endsWith('.log') && !name.endsWith('.tsbuildinfo');

function walk(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!hashed(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

async function walkAsync(root: string, dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!hashed(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walkAsync(root, p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

/** One file's part of the hash: its path and its content, each ended by a NUL. */
function addFile(h: Hash, file: string, content: Buffer): void {
  h.update(file);
  h.update('\0');
  h.update(content);
  h.update('\0');
}

type Source = { base: string; label: string };

function hashSources(list: readonly Source[]): string {
  const h = createHash('sha256');
  for (const { base, label } of list) {
    const files: string[] = [];
    if (existsSync(base)) walk(base, base, files);
    files.sort();
    for (const f of files) addFile(h, label + f, readFileSync(join(base, f)));
  }
  return h.digest('hex').slice(0, 16);
}

async function hashSourcesAsync(list: readonly Source[]): Promise<string> {
  const h = createHash('sha256');
  for (const { base, label } of list) {
    const files: string[] = [];
    try {
      await walkAsync(base, base, files);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      files.length = 0; // no folder: the hash of nothing, as sourceHash gives
    }
    files.sort();
    for (let i = 0; i < files.length; i += READ_AHEAD) {
      const batch = files.slice(i, i + READ_AHEAD);
      const contents = await Promise.all(batch.map((f) => readFile(join(base, f))));
      batch.forEach((f, j) => addFile(h, label + f, contents[j]!));
    }
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Content hash of an app's source (first 16 hex digits of a sha256); stable across copies and mtimes. `include`
 * folders (absolute) add their files under their path relative to root (`../shared/x.ts`), so an app without
 * any hashes exactly as before they existed, and moving a file between root and a shared folder is a change.
 */
export function sourceHash(root: string, include: readonly string[] = []): string {
  return hashSources(sources(root, include));
}

/** sourceHash without blocking the event loop (the control plane's). */
export async function sourceHashAsync(root: string, include: readonly string[] = []): Promise<string> {
  return hashSourcesAsync(sources(root, include));
}

/**
 * The content hash of each workspace package in an app's source hash, by the name the app requires it by
 * (`{"@spaceport/internal-auth": "3f2a..."}`): plan shows which one changed. Undefined when there are none.
 */
export function packageHashes(root: string, include: readonly string[] = []): Record<string, string> | undefined {
  const list = localPackages(root, include).filter((p) => !p.included);
  return list.length ? Object.fromEntries(list.map((p) => [p.name, hashSources([{ base: p.dir, label: '' }])])) : undefined;
}

/** packageHashes without blocking the event loop. */
export async function packageHashesAsync(root: string, include: readonly string[] = []): Promise<Record<string, string> | undefined> {
  const list = localPackages(root, include).filter((p) => !p.included);
  if (!list.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of list) out[p.name] = await hashSourcesAsync([{ base: p.dir, label: '' }]);
  return out;
}

/**
 * Root first (its files named as before), then each included folder and each workspace package the app depends
 * on (workspace-packages.ts), in a stable order, named relative to root. An app with neither hashes as before
 * both existed.
 */
function sources(root: string, include: readonly string[]): Source[] {
  const packages = workspacePackages(root, include);
  const realRoot = packages.length ? realpathSync(root) : root;
  const extra = [
    ...include.map((dir) => ({ base: dir, label: `${relative(root, dir)}/` })),
    ...packages.map((dir) => ({ base: dir, label: `${relative(realRoot, dir)}/` })),
  ].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return [{ base: root, label: '' }, ...extra];
}

export function buildsDir(stateDir: string, app: string): string {
  return join(stateDir, 'builds', app);
}

/** The directory of a build, if it is still kept (complete: its marker is written last). */
export function buildDir(stateDir: string, app: string, hash: string): string | undefined {
  const dir = join(buildsDir(stateDir, app), hash);
  return existsSync(join(dir, '.spaceport-build.json')) ? dir : undefined;
}

/**
 * Keeps the build that just succeeded in `root`: copies it (outputs included) to the build directory for
 * `hash`, gives it its node_modules (build-modules.ts: the workspace packages copied, the rest linked), and
 * marks it complete. An existing complete copy is reused.
 */
export async function keepBuild(stateDir: string, app: string, root: string, hash: string, include: readonly string[] = []): Promise<string> {
  const have = buildDir(stateDir, app, hash);
  if (have) return have;
  const base = buildsDir(stateDir, app);
  await mkdir(base, { recursive: true, mode: 0o700 });
  const tmp = join(base, `.${hash}.${process.pid}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  // Entry by entry: fs.cp refuses to copy a directory into a subdirectory of itself, and an app whose root is
  // the space's own directory (`root: .`) holds .spaceport/builds, where the copy goes.
  await mkdir(tmp, { recursive: true });
  const filter = (src: string) => !NOT_COPIED.has(src.slice(src.lastIndexOf('/') + 1));
  for (const name of await readdir(root)) {
    if (!NOT_COPIED.has(name)) await cp(join(root, name), join(tmp, name), { recursive: true, filter });
  }
  await keepModules(tmp, root, localPackages(root, include));
  // The marker buildDir looks for: only complete builds are reused or rolled back to.
  await writeFile(join(tmp, '.spaceport-build.json'), JSON.stringify({ app, hash, built: new Date().toISOString() }) + '\n');
  const dir = join(base, hash);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

/** Removes an app's builds beyond the newest `keep`, except those listed in `needed` (hashes). */
export async function pruneBuilds(stateDir: string, app: string, needed: Iterable<string>, keep = 5): Promise<string[]> {
  const base = buildsDir(stateDir, app);
  if (!(await exists(base))) return [];
  const want = new Set(needed);
  const names = (await readdir(base)).filter((n) => !n.startsWith('.'));
  const builds = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(base, n))).mtimeMs })));
  builds.sort((a, b) => b.t - a.t);
  const removed: string[] = [];
  for (const [i, b] of builds.entries()) {
    if (i < keep || want.has(b.n)) continue;
    await rm(join(base, b.n), { recursive: true, force: true });
    removed.push(b.n);
  }
  // Copies an interrupted keepBuild left behind.
  for (const n of await readdir(base)) if (n.startsWith('.') && n.endsWith('.tmp')) await rm(join(base, n), { recursive: true, force: true });
  return removed;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
