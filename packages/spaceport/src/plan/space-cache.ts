/**
 * A validated config, cached for the next plan: `apply` with nothing to do must take under 200 ms, and
 * loading spaceport.yaml from scratch (yaml, zod, plugin schemas) costs more than that on its own. The
 * cache (`.spaceport/config-cache.json`, 0600: interpolated values may be secrets) is used only when the
 * file's text, the environment variables it references, every Procfile it reads, its apps' roots and include:
 * folders (still folders) and the code that validates it in this build (validator-stamp.ts) are all the same as
 * when it was written; anything else loads the file again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Space } from '../config/load.js';
import { validatorStamp } from './validator-stamp.js';

const VERSION = 3;

interface CacheFile {
  version: number;
  key: string;
  deps: { path: string; stamp: string }[];
  space: Space;
}

/**
 * A file's identity by content (Procfiles are tiny; a size and mtime can stay equal across an edit); a folder's
 * is that it is one (validation only checks that app roots and `include:` folders exist and are folders).
 */
function stamp(path: string): string {
  try {
    if (statSync(path).isDirectory()) return 'folder';
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'absent';
  }
}

/** What the loaded config depends on besides Procfiles: the text, the env it interpolates, our own build. */
function keyOf(file: string, text: string): string {
  const h = createHash('sha256');
  h.update(`${VERSION}\0${file}\0${text}\0`);
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) h.update(`${m[1]}=${process.env[m[1]!] ?? '\u0000unset'}\0`);
  // A different spaceport build may resolve or check the same file differently: any change of the validating
  // code (schema, cross-object checks, plugin schemas, zod/yaml) counts, not only schema.js.
  h.update(validatorStamp(join(dirname(file), '.spaceport', 'validator-stamp.json')));
  return h.digest('hex');
}

function cacheFile(file: string): string {
  return join(dirname(file), '.spaceport', 'config-cache.json');
}

/** The cached Space for `file`, or undefined when anything it was built from changed. */
export function cachedSpace(file: string): Space | undefined {
  try {
    const c = JSON.parse(readFileSync(cacheFile(file), 'utf8')) as CacheFile;
    if (c.version !== VERSION || c.key !== keyOf(file, readFileSync(file, 'utf8'))) return undefined;
    if (c.deps.some((d) => stamp(d.path) !== d.stamp)) return undefined;
    return c.space;
  } catch {
    return undefined;
  }
}

/** Remembers a freshly loaded, valid Space. */
export function rememberSpace(space: Space, text: string): void {
  // What validation read besides the file: Procfiles, and that roots and include: folders are folders.
  const deps = Object.values(space.config.apps)
    .flatMap((a) => [a.root, ...a.include, ...(a.processesFrom === 'Procfile' ? [join(a.root, 'Procfile')] : [])])
    .map((path) => ({ path, stamp: stamp(path) }));
  const body: CacheFile = { version: VERSION, key: keyOf(space.file, text), deps, space };
  const target = cacheFile(space.file);
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    renameSync(tmp, target);
  } catch {
    // A cache that cannot be written only costs time.
  }
}
