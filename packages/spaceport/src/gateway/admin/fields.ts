/**
 * Typed reads of an admin request's fields. A field of the wrong type or out of range is a 400 schema violation
 * naming the field, as Kong answers; it used to fall back to the default silently (`retries: "five"` became 5,
 * `load_balancing: "least_connections"` round-robin, `strip_path: "false"` true). null or absent is the default.
 */
import { didYouMean } from '../../config/did-you-mean.js';
import { schemaViolation } from './errors.js';

type Body = Record<string, unknown>;

const show = (v: unknown): string => (typeof v === 'string' ? `the string ${JSON.stringify(v)}` : Array.isArray(v) ? 'an array' : v !== null && typeof v === 'object' ? 'an object' : String(v));
const absent = (v: unknown): boolean => v === undefined || v === null;

export function optString(m: Body, field: string): string | undefined {
  const v = m[field];
  if (absent(v)) return undefined;
  if (typeof v !== 'string' || v === '') throw schemaViolation([field, `expected a non-empty string, got ${show(v)}`]);
  return v;
}

export function reqString(m: Body, field: string): string {
  const v = optString(m, field);
  if (v === undefined) throw schemaViolation([field, 'required field missing']);
  return v;
}

export function optInt(m: Body, field: string, min: number, max: number, def: number): number;
export function optInt(m: Body, field: string, min: number, max: number, def?: undefined): number | undefined;
export function optInt(m: Body, field: string, min: number, max: number, def?: number): number | undefined {
  const v = m[field];
  if (absent(v)) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw schemaViolation([field, `expected an integer from ${min} to ${max}, got ${show(v)}`]);
  return v;
}

export function optBool(m: Body, field: string, def: boolean): boolean {
  const v = m[field];
  if (absent(v)) return def;
  if (typeof v !== 'boolean') throw schemaViolation([field, `expected true or false, got ${show(v)}`]);
  return v;
}

export function optOneOf<T extends string>(m: Body, field: string, values: readonly T[], def: T): T {
  const v = m[field];
  if (absent(v)) return def;
  if (!values.includes(v as T)) {
    const guess = typeof v === 'string' ? didYouMean(v, values) : undefined;
    throw schemaViolation([field, `expected one of: ${values.join(', ')}, got ${show(v)}${guess ? ` (did you mean "${guess}"?)` : ''}`]);
  }
  return v as T;
}

export function strList(v: unknown, field: string): string[] {
  if (absent(v)) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw schemaViolation([field, `expected an array of strings, got ${show(v)}`]);
  return v as string[];
}

export function optObject(m: Body, field: string): Body {
  const v = m[field];
  if (absent(v)) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw schemaViolation([field, `expected an object, got ${show(v)}`]);
  return v as Body;
}

/**
 * A field this entity does not have is refused when it is one edit or so from one it has (`strip_paths`): sent
 * as written, it would be dropped and the entity created without what was meant. Other unknown fields (Kong's own,
 * such as `protocols` or `created_at`, which tools send back) are ignored.
 */
export function refuseTypos(body: Body, known: readonly string[]): void {
  const bad: [string, string][] = [];
  for (const k of Object.keys(body)) {
    if (known.includes(k)) continue;
    const guess = didYouMean(k, known);
    if (guess) bad.push([k, `unknown field (did you mean "${guess}"?)`]);
  }
  if (bad.length) throw schemaViolation(...bad);
}
