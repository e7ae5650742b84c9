/**
 * A deploy's build bookkeeping off the control plane's event loop: the source hash, the copy of a build into
 * `.spaceport/builds/<app>/<hash>/` and the pruning of old builds, exactly as plan/builds.ts lays them out
 * (same hash, same directories, same completion marker), but with fs.promises. Reading and copying a large
 * app root then no longer freezes the progress line, `ps` or the control API. plan/builds.ts keeps the
 * synchronous versions for the CLI; build-keeper.test.ts checks that both agree.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildDir, buildsDir, IGNORED } from '../plan/builds.js';

/** Never copied into a kept build (as in plan/builds.ts): dependencies (linked instead), VCS data, our state. */
const NOT_COPIED = new Set(['node_modules', '.git', '.spaceport']);
/** Files read at once while hashing: enough to keep the disk busy, few enough to bound memory. */
const READ_AHEAD = 16;

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (IGNORED.has(e.name) || e.name.endsWith('.log')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(root, p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

/** plan/builds.ts's sourceHash, without blocking: sha256 over sorted paths and contents, first 16 hex digits. */
export async function sourceHashAsync(root: string): Promise<string> {
  const files: string[] = [];
  try {
    await walk(root, root, files);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    files.length = 0; // no root: the hash of nothing, as the synchronous version gives
  }
  files.sort();
  const h = createHash('sha256');
  for (let i = 0; i < files.length; i += READ_AHEAD) {
    const batch = files.slice(i, i + READ_AHEAD);
    const contents = await Promise.all(batch.map((f) => readFile(join(root, f))));
    batch.forEach((f, j) => {
      h.update(f);
      h.update('\0');
      h.update(contents[j]!);
      h.update('\0');
    });
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * plan/builds.ts's keepBuild, without blocking: copies the build that just succeeded in `root` (outputs
 * included, node_modules linked) to its directory, then marks it complete. An existing complete copy is reused.
 */
export async function keepBuildAsync(stateDir: string, app: string, root: string, hash: string): Promise<string> {
  const have = buildDir(stateDir, app, hash);
  if (have) return have;
  const base = buildsDir(stateDir, app);
  await mkdir(base, { recursive: true, mode: 0o700 });
  const tmp = join(base, `.${hash}.${process.pid}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await cp(root, tmp, { recursive: true, filter: (src) => src === root || !NOT_COPIED.has(src.slice(src.lastIndexOf('/') + 1)) });
  if (await exists(join(root, 'node_modules'))) await symlink(join(root, 'node_modules'), join(tmp, 'node_modules'));
  // The marker plan/builds.ts's buildDir looks for: only complete builds are reused or rolled back to.
  await writeFile(join(tmp, '.spaceport-build.json'), JSON.stringify({ app, hash, built: new Date().toISOString() }) + '\n');
  const dir = join(base, hash);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

/** plan/builds.ts's pruneBuilds, without blocking: keeps the newest `keep` builds and those in `needed`. */
export async function pruneBuildsAsync(stateDir: string, app: string, needed: Iterable<string>, keep = 5): Promise<string[]> {
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
  for (const n of await readdir(base)) if (n.startsWith('.') && n.endsWith('.tmp')) await rm(join(base, n), { recursive: true, force: true });
  return removed;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
