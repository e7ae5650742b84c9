/**
 * The parts of a config that pass the schema, so the rules across objects can be checked in the same run as
 * the schema errors (a user sees every error at once). Each object with a schema error inside (an app, an
 * add-on, a service, a route, a consumer, an output) is left out whole, and its name is remembered: a
 * reference to it is not reported as a reference to nothing. Unknown keys are only dropped (they mean nothing).
 */
import type { z } from 'zod';
import { spaceSchema, type SpaceConfig } from './schema.js';

type Path = readonly PropertyKey[];

/** Names of objects that exist in the file but were left out for schema errors. */
export interface LeftOut {
  apps: Set<string>;
  addons: Set<string>;
}

/** Addresses of the objects a schema error can leave out, deepest first. */
const ENTRIES: Path[] = [['gateway', 'services', '*', 'routes', '*'], ['gateway', 'services', '*'], ['gateway', 'consumers', '*'], ['apps', '*'], ['addons', '*'], ['outputs', '*']];

/** The config without the objects that fail the schema, or undefined when what fails is not such an object. */
export function validParts(raw: unknown, issues: readonly z.core.$ZodIssue[]): { config: SpaceConfig; leftOut: LeftOut } | undefined {
  const copy = structuredClone(raw) as Record<string, unknown>;
  const leftOut: LeftOut = { apps: new Set(), addons: new Set() };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const at = get(copy, issue.path);
      if (at && typeof at === 'object') for (const k of issue.keys) delete (at as Record<string, unknown>)[k];
      continue;
    }
    const entry = ENTRIES.map((e) => matchEntry(e, issue.path)).find((p) => p !== undefined);
    if (!entry) return undefined; // a top-level field, the moved list: nothing to leave out safely
    const parent = get(copy, entry.slice(0, -1));
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[String(entry.at(-1))];
    if (entry.length === 2 && entry[0] === 'apps') leftOut.apps.add(String(entry[1]));
    if (entry.length === 2 && entry[0] === 'addons') leftOut.addons.add(String(entry[1]));
  }
  const again = spaceSchema.safeParse(copy);
  return again.success ? { config: again.data, leftOut } : undefined;
}

/** The prefix of `path` that names an entry of the `pattern` kind (`*` is any name), if `path` is inside one. */
function matchEntry(pattern: Path, path: Path): Path | undefined {
  if (path.length < pattern.length) return undefined;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '*' && pattern[i] !== path[i]) return undefined;
    if (pattern[i] === '*' && typeof path[i] !== 'string') return undefined;
  }
  return path.slice(0, pattern.length);
}

function get(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
