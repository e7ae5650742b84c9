/**
 * Loading spaceport.yaml: read its data and interpolate `${VAR}` (positions only when a diagnostic needs
 * them, see read-yaml.ts), validate against the schema, then the rules that span objects (references between
 * apps, add-ons, services; plugin configs). Every problem is reported at once; the result is a typed, frozen
 * Space or a ConfigError with all diagnostics.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type Diagnostic } from './diagnostics.js';
import { positionOf, type ParsedDocument } from './document.js';
import { readConfigText } from './read-yaml.js';
import { spaceSchema, type AppConfig, type SpaceConfig } from './schema.js';
import { issuesToDiagnostics } from './zod-diagnostics.js';
import { crossChecks } from './cross-checks.js';
import { validParts } from './valid-parts.js';
import { parseProcfile } from './procfile.js';

import { CONFIG_FILE } from './find-file.js';

export { CONFIG_FILE, findConfigFile } from './find-file.js';

/** An app with its root resolved and its process types and scale filled in. */
export interface ResolvedApp extends AppConfig {
  name: string;
  /** Absolute path of the app's directory. */
  root: string;
  /** Absolute paths of the folders outside root that are part of its source (`include:`, relative to root in the file). */
  include: string[];
  processes: Record<string, string>;
  /** Every process type has a count: default web: 1, others 0. */
  scale: Record<string, number>;
  /** Where `processes` came from. */
  processesFrom: 'config' | 'Procfile';
}

export interface Space {
  /** Absolute path of spaceport.yaml. */
  file: string;
  /** Directory of spaceport.yaml. */
  dir: string;
  /** `<dir>/.spaceport`. */
  stateDir: string;
  config: Readonly<Omit<SpaceConfig, 'apps'>> & { apps: Readonly<Record<string, ResolvedApp>> };
}

export interface LoadResult {
  space?: Space;
  diagnostics: Diagnostic[];
}

/** Loads and validates a config file, collecting every diagnostic. */
export async function loadSpace(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  const display = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      diagnostics: [
        {
          severity: 'error',
          file: display,
          line: 1,
          column: 1,
          path: '',
          message: e.code === 'ENOENT' ? 'file not found' : `cannot read the file: ${e.message}`,
          hint: e.code === 'ENOENT' ? `create ${CONFIG_FILE}, or point at one with -f FILE` : undefined,
        },
      ],
    };
  }
  return loadSpaceFromText(text, file, env, display);
}

/** Like loadSpace, for a config already in memory (tests, `plan --adopt`). */
export async function loadSpaceFromText(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  display = file,
): Promise<LoadResult> {
  const { raw, parsed, diagnostics } = readConfigText(text, display, env);
  if (raw === undefined) return { diagnostics };
  const result = spaceSchema.safeParse(raw);
  const dir = dirname(file);
  if (!result.success) {
    const issues = result.error.issues as z.core.$ZodIssue[];
    diagnostics.push(...issuesToDiagnostics(issues, parsed, raw));
    // The rules across objects still run over the objects that pass the schema: every error in one run.
    const valid = validParts(raw, issues);
    if (valid) {
      const apps: Record<string, ResolvedApp> = {};
      for (const [name, app] of Object.entries(valid.config.apps)) apps[name] = resolveApp(name, app, dir, parsed, diagnostics);
      diagnostics.push(...(await crossChecks(valid.config, apps, parsed, valid.leftOut)));
    }
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
  const config = result.data;
  const apps: Record<string, ResolvedApp> = {};
  for (const [name, app] of Object.entries(config.apps)) {
    apps[name] = resolveApp(name, app, dir, parsed, diagnostics);
  }
  diagnostics.push(...(await crossChecks(config, apps, parsed)));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics: sortDiagnostics(diagnostics) };
  const space: Space = deepFreeze({
    file,
    dir,
    stateDir: join(dir, '.spaceport'),
    config: { ...config, apps },
  });
  return { space, diagnostics: sortDiagnostics(diagnostics) };
}

/** Loads a config or throws ConfigError with every diagnostic. */
export async function loadSpaceOrThrow(file: string, env?: NodeJS.ProcessEnv): Promise<Space> {
  const { space, diagnostics } = await loadSpace(file, env);
  if (!space) throw new ConfigError(diagnostics);
  return space;
}

function resolveApp(
  name: string,
  app: AppConfig,
  dir: string,
  parsed: ParsedDocument,
  diagnostics: Diagnostic[],
): ResolvedApp {
  const rootRel = app.root ?? `./${name}`;
  const root = isAbsolute(rootRel) ? rootRel : resolve(dir, rootRel);
  let processes = app.processes;
  let processesFrom: ResolvedApp['processesFrom'] = 'config';
  // Dynos, builds and the source hash all run in root: a missing one is an error with processes: given too.
  const missingRoot = !existsSync(root);
  if (missingRoot) {
    diagnostics.push({
      severity: 'error',
      ...positionOf(parsed, ['apps', name, ...(app.root ? ['root'] : [])]),
      path: `apps.${name}${app.root ? '.root' : ''}`,
      message: `the app's directory ${relative(dir, root) || '.'} does not exist`,
      hint: app.root ? 'fix root, or create the directory' : `set root: to the app's directory (default ./${name}; root: . when its files are beside spaceport.yaml)`,
    });
  }
  const include = missingRoot ? [] : resolveIncludes(name, app, root, dir, parsed, diagnostics);
  if (!processes) {
    processesFrom = 'Procfile';
    const procfile = join(root, 'Procfile');
    if (missingRoot) {
      processes = {};
    } else if (!existsSync(procfile)) {
      diagnostics.push({
        severity: 'error',
        ...positionOf(parsed, ['apps', name]),
        path: `apps.${name}.processes`,
        message: `no processes: and no Procfile in ${relative(dir, root) || '.'}`,
        hint: 'add processes: { web: "node server.js" } to the app, or a Procfile in its root',
      });
      processes = {};
    } else {
      const { processes: p, errors } = parseProcfile(readFileSync(procfile, 'utf8'));
      for (const e of errors) {
        diagnostics.push({
          severity: 'error',
          file: relative(process.cwd(), procfile),
          line: e.line,
          column: 1,
          path: `apps.${name}.processes`,
          message: e.message,
          hint: 'Procfile lines look like `web: node server.js`',
        });
      }
      processes = p;
      if (errors.length === 0 && Object.keys(p).length === 0) {
        diagnostics.push({
          severity: 'error',
          file: relative(process.cwd(), procfile),
          line: 1,
          column: 1,
          path: `apps.${name}.processes`,
          message: `the Procfile of ${name} defines no process type (it is blank or only comments), so the app would run nothing`,
          hint: 'add a line like `web: node server.js` (web serves HTTP on $PORT), or processes: to the app',
        });
      }
    }
  } else if (Object.keys(processes).length === 0) {
    diagnostics.push({
      severity: 'error',
      ...positionOf(parsed, ['apps', name, 'processes']),
      path: `apps.${name}.processes`,
      message: `processes: of ${name} is empty, so the app would run nothing`,
      hint: 'give it a process type, like processes: { web: node server.js } (web serves HTTP on $PORT), or leave it out to use the Procfile',
    });
  }
  const scale: Record<string, number> = {};
  for (const type of Object.keys(processes)) {
    scale[type] = app.scale?.[type] ?? (type === 'web' ? 1 : 0);
  }
  // `release` is a phase, never a formation: it runs once per release.
  if ('release' in scale) scale.release = 0;
  return { ...app, name, root, include, processes, scale, processesFrom };
}

/**
 * `include:` resolved against the app's root. Each must be an existing folder outside root that does not hold
 * root either: root's files are hashed already, and a folder holding root would hash the app (and its builds) twice.
 */
function resolveIncludes(name: string, app: AppConfig, root: string, dir: string, parsed: ParsedDocument, diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  app.include.forEach((rel, i) => {
    const abs = isAbsolute(rel) ? rel : resolve(root, rel);
    const problem = (message: string, hint: string) =>
      diagnostics.push({ severity: 'error', ...positionOf(parsed, ['apps', name, 'include', i]), path: `apps.${name}.include.${i}`, message, hint });
    const shown = relative(dir, abs) || '.';
    const inside = (a: string, b: string) => a === b || !relative(b, a).startsWith('..') && !isAbsolute(relative(b, a));
    if (!existsSync(abs)) return problem(`${rel} (${shown}) does not exist`, `paths in include are relative to the app's root (${relative(dir, root) || '.'}): fix the path, or create the folder`);
    if (!statSync(abs).isDirectory()) return problem(`${rel} (${shown}) is a file, not a folder`, 'include names folders: write the folder that holds it');
    if (inside(abs, root)) return problem(`${rel} is inside the app's root, whose files are part of its source already`, 'remove it from include');
    if (inside(root, abs)) return problem(`${rel} (${shown}) holds the app's root itself`, 'include only the shared folder, like ../shared, not a parent of the app');
    if (out.includes(abs)) return problem(`${rel} is included twice`, 'remove the repeated entry');
    out.push(abs);
  });
  return out;
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
