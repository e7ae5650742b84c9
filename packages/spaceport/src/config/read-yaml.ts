/**
 * Reading spaceport.yaml's data. The `yaml` library builds a positioned document (every node with its offset)
 * at about 5x the cost of a plain read: over a second for 200 apps and 5,000 routes. So the data is read with
 * js-yaml, and the positioned document is built only when a diagnostic needs a line and column. Any file the
 * fast read cannot take exactly as `yaml` would (a syntax error, a duplicate key, a tag, a directive, a null
 * key, an unset `${VAR}`) is read the positioned way from the start, so its errors and warnings are `yaml`'s.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Diagnostic } from './diagnostics.js';
import { interpolate, parseYaml, toData, VAR_RE, type ParsedDocument } from './document.js';

export interface ReadResult {
  /** The interpolated data (undefined when a syntax error stopped the read). */
  raw?: unknown;
  /** Positions, built on first use. */
  parsed: ParsedDocument;
  diagnostics: Diagnostic[];
  /** Which reader produced `raw`: `fast` (js-yaml) or `positioned` (yaml's document). */
  via: 'fast' | 'positioned';
}

/**
 * Constructs whose reading differs between js-yaml and `yaml`, or on which `yaml` warns: directives
 * (`%YAML 1.1` changes what `yes` means), tags, anchors or aliases ending in `:`, and `__proto__` keys.
 * A false match costs only time.
 */
const POSITIONED_ONLY = /^%|(?:^|[\s[{,])!|[&*][^\s,[\]{}]*:(?:\s|$)|__proto__/m;

/** Reads the file's data, interpolating `${VAR}` from `env`; see the module comment for the two paths. */
export function readConfigText(text: string, file: string, env: NodeJS.ProcessEnv): ReadResult {
  const fast = fastRead(text, env);
  if (fast !== undefined) return { raw: fast.value, parsed: lazyDocument(text, file, env), diagnostics: [], via: 'fast' };
  return readPositioned(text, file, env);
}

/** The positioned reading alone: `yaml`'s document, its errors and warnings, interpolated on the document. */
export function readPositioned(text: string, file: string, env: NodeJS.ProcessEnv): ReadResult {
  const { parsed, diagnostics } = parseYaml(text, file);
  if (diagnostics.some((d) => d.severity === 'error')) return { parsed, diagnostics, via: 'positioned' };
  diagnostics.push(...interpolate(parsed, env));
  const data = toData(parsed);
  if ('error' in data) return { parsed, diagnostics: [...diagnostics, data.error], via: 'positioned' };
  return { raw: data.value ?? {}, parsed, diagnostics, via: 'positioned' };
}

/** js-yaml's reading, or undefined when the positioned path must read the file (see POSITIONED_ONLY). */
function fastRead(text: string, env: NodeJS.ProcessEnv): { value: unknown } | undefined {
  if (POSITIONED_ONLY.test(text)) return undefined;
  let data: unknown;
  try {
    // CORE_SCHEMA is YAML 1.2's core schema, as `yaml`'s default: `yes` is a string, no timestamps, no `<<`.
    data = load(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined; // yaml reports it, with its position and wording
  }
  const value = interpolateData(data, env);
  return value === UNREADABLE ? undefined : { value };
}

const UNREADABLE = Symbol('unreadable');

/**
 * `${VAR}` in every string, keys included, as `interpolate` does on the document. An unset variable, or a
 * key js-yaml reads as "null" (`yaml` reads a null key as ""), sends the file to the positioned path.
 */
function interpolateData(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return value.includes('${') ? interpolateString(value, env) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = interpolateData(value[i], env);
      if (v === UNREADABLE) return UNREADABLE;
      value[i] = v;
    }
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  let renamed = false;
  for (const k of Object.keys(obj)) {
    if (k === 'null') return UNREADABLE;
    if (k.includes('${')) renamed = true;
    const v = interpolateData(obj[k], env);
    if (v === UNREADABLE) return UNREADABLE;
    obj[k] = v;
  }
  if (!renamed) return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = k.includes('${') ? interpolateString(k, env) : k;
    if (key === UNREADABLE) return UNREADABLE;
    out[key as string] = v;
  }
  return out;
}

function interpolateString(s: string, env: NodeJS.ProcessEnv): string | typeof UNREADABLE {
  let missing = false;
  const out = s.replace(VAR_RE, (whole, name: string | undefined) => {
    if (name === undefined) return '${';
    const v = env[name];
    if (v === undefined) missing = true;
    return v ?? whole;
  });
  return missing ? UNREADABLE : out;
}

/** A ParsedDocument whose `doc` and `lines` are built on first use (only a diagnostic needs them). */
function lazyDocument(text: string, file: string, env: NodeJS.ProcessEnv): ParsedDocument {
  let built: ParsedDocument | undefined;
  const get = (): ParsedDocument => {
    if (!built) {
      built = parseYaml(text, file).parsed;
      // Interpolated keys are looked up by their value: the document gets the same values as the data.
      interpolate(built, env);
    }
    return built;
  };
  return {
    file,
    get doc() {
      return get().doc;
    },
    get lines() {
      return get().lines;
    },
  };
}
