/**
 * The identity of the code that validates spaceport.yaml in this build: a hash of every module the loader
 * imports (config/load and its relative imports, transitively: schema, cross-checks, diagnostics, ...), of
 * every gateway plugin's config schema (loaded by name, so no import names them), and of the installed
 * versions of the libraries it parses and validates with. A cached config is valid only under the same stamp:
 * an upgrade that adds a rule anywhere in that code must re-validate an unchanged file. Reading ~40 small
 * files costs about a millisecond, computed once per process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** The version of `lib` that node resolves from `from` (the nearest node_modules up the tree), or 'absent'. */
function installedVersion(from: string, lib: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'node_modules', lib, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      if (dirname(dir) === dir) return 'absent';
    }
  }
}

/** The stamp of the validating code under `src` (a build's dist/ or src/ folder). */
export function validatorStampOf(src: string): string {
  const plugins = join(src, 'gateway', 'plugins');
  const schemas = existsSync(plugins)
    ? readdirSync(plugins, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(plugins, d.name, `schema${ext}`))
    : [];
  const h = createHash('sha256');
  for (const file of importClosure([join(src, 'config', `load${ext}`), ...schemas])) {
    h.update(`${file.slice(src.length)}\0`).update(readFileSync(file)).update('\0');
  }
  for (const lib of LIBRARIES) h.update(`${lib}@${installedVersion(src, lib)}\0`);
  return h.digest('hex');
}

let memo: string | undefined;

/** The stamp of the running build's validating code. */
export function validatorStamp(): string {
  return (memo ??= validatorStampOf(resolve(here, '..')));
}
