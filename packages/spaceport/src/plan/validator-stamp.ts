/**
 * The identity of the code that validates spaceport.yaml in this build: a hash of every module the loader
 * imports (config/load and its relative imports, transitively: schema, cross-checks, diagnostics, ...), of
 * every gateway plugin's config schema (loaded by name, so no import names them), and of the installed
 * versions of the libraries it parses and validates with. A cached config is valid only under the same stamp:
 * an upgrade that adds a rule anywhere in that code must re-validate an unchanged file.
 *
 * Reading and hashing those files cost 10-50 ms per CLI process on a loaded machine (every plan pays it, cached or
 * not), so the stamp is memoized in the space (`.spaceport/validator-stamp.json`) with the identity of each file
 * it read (inode, size, mtime) and the plugins folder's: a memo whose files all stat the same is the stamp; any
 * build, upgrade or `npm install` writes new files (new inodes, sizes or times), and the stamp is computed again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// From dist the modules are .js; under tsx (tests, development) the same specifiers name .ts files.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const LIBRARIES = ['zod', 'yaml', 'js-yaml'];

/** Relative import specifiers of a module's text: static, type-only and dynamic imports and re-exports. */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
}

/** Every file in the relative import closure of `entries`, in a stable order. */
export function importClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      todo.push(resolve(dirname(file), spec.replace(/\.js$/, ext)));
    }
  }
  return [...seen].sort();
}

/** The package.json of `lib` that node resolves from `from` (the nearest node_modules up the tree), or undefined. */
function packageJson(from: string, lib: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', lib, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

function versionOf(file: string | undefined): string {
  try {
    return file ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'absent';
  } catch {
    return 'absent';
  }
}

/** The stamp of the validating code under `src` (a build's dist/ or src/ folder), and the paths it read. */
export function computeStamp(src: string): { stamp: string; files: string[] } {
  const plugins = join(src, 'gateway', 'plugins');
  const schemas = existsSync(plugins)
    ? readdirSync(plugins, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(plugins, d.name, `schema${ext}`))
    : [];
  const h = createHash('sha256');
  const code = importClosure([join(src, 'config', `load${ext}`), ...schemas]);
  for (const file of code) {
    h.update(`${file.slice(src.length)}\0`).update(readFileSync(file)).update('\0');
  }
  const libs = LIBRARIES.map((lib) => packageJson(src, lib));
  LIBRARIES.forEach((lib, i) => h.update(`${lib}@${versionOf(libs[i])}\0`));
  return { stamp: h.digest('hex'), files: [plugins, ...code, ...libs.filter((f): f is string => f !== undefined)] };
}

/** The stamp of the validating code under `src`. */
export function validatorStampOf(src: string): string {
  return computeStamp(src).stamp;
}

/** A file's identity without reading it: a rewrite changes its inode (new file), size or mtime. */
function identity(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

interface Memo {
  src: string;
  stamp: string;
  files: [string, string][];
}

/** The stamp of `src`, from `memoFile` when every file it was computed from is unchanged; else computed and memoized. */
export function memoizedStamp(src: string, memoFile: string): string {
  try {
    const m = JSON.parse(readFileSync(memoFile, 'utf8')) as Memo;
    if (m.src === src && m.files.every(([f, id]) => identity(f) === id)) return m.stamp;
  } catch {
    // no memo yet, or a broken one: compute
  }
  const { stamp, files } = computeStamp(src);
  const memo: Memo = { src, stamp, files: files.map((f) => [f, identity(f)]) };
  try {
    mkdirSync(dirname(memoFile), { recursive: true, mode: 0o700 });
    const tmp = `${memoFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(memo), { mode: 0o600 });
    renameSync(tmp, memoFile);
  } catch {
    // A memo that cannot be written only costs time.
  }
  return stamp;
}

let memo: string | undefined;

/** The stamp of the running build's validating code; memoized in `memoFile` (a space's .spaceport) when given. */
export function validatorStamp(memoFile?: string): string {
  const src = resolve(here, '..');
  return (memo ??= memoFile ? memoizedStamp(src, memoFile) : validatorStampOf(src));
}
