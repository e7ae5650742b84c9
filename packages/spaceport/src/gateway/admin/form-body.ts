/**
 * Form bodies, as Kong's docs write admin calls (`curl -X POST .../services/s/plugins --data name=rate-limiting
 * --data config.minute=5`): dotted keys nest, `key[]` (or a repeated key) makes a list. Form values are strings,
 * so they are converted by what the field takes, as Kong converts them by its schema: our entity fields by
 * their known types, a plugin's config by its schema's own type errors (a number, true/false, a one-item list).
 * Before, every form body got "body must be a JSON object".
 */
import type { z } from 'zod';

type Body = Record<string, unknown>;

export function parseForm(text: string): Body {
  const out: Body = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const list = /\[\d*\]$/.test(rawKey);
    const path = rawKey.replace(/\[\d*\]$/, '').split('.');
    let at = out;
    for (const k of path.slice(0, -1)) {
      const next = at[k];
      at = (next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (at[k] = {})) as Body;
    }
    const last = path.at(-1)!;
    const had = at[last];
    if (had === undefined) at[last] = list ? [value] : value;
    else at[last] = [...(Array.isArray(had) ? had : [had]), value];
  }
  return out;
}

const INTS = ['retries', 'connect_timeout', 'read_timeout', 'write_timeout', 'max_conns', 'queue_timeout', 'regex_priority'];
const BOOLS = ['expose_internal', 'strip_path', 'preserve_host', 'enabled'];
const LISTS = ['hosts', 'paths', 'methods', 'tags', 'keys', 'groups'];

/** Converts an entity's own fields from form strings; the rest is checked as it is. */
export function coerceEntityForm(body: Body): Body {
  const out: Body = { ...body };
  for (const k of INTS) if (typeof out[k] === 'string' && /^-?\d+$/.test(out[k] as string)) out[k] = Number(out[k]);
  for (const k of BOOLS) if (out[k] === 'true' || out[k] === 'false') out[k] = out[k] === 'true';
  for (const k of LISTS) if (typeof out[k] === 'string') out[k] = [out[k]];
  return out;
}

/** Converts a plugin config from form strings where its schema says a string is the wrong type. */
export function coercePluginForm(config: unknown, schema: z.ZodType): unknown {
  const value = structuredClone(config);
  for (let round = 0; round < 8; round++) {
    const r = schema.safeParse(value);
    if (r.success) break;
    let changed = false;
    for (const issue of r.error.issues) {
      if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
      const parent = issue.path.slice(0, -1).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Body)[String(k)] : undefined), value);
      const key = String(issue.path.at(-1));
      if (!parent || typeof parent !== 'object') continue;
      const v = (parent as Body)[key];
      if (typeof v !== 'string') continue;
      let next: unknown = v;
      if (issue.expected === 'number' && /^-?\d+(\.\d+)?$/.test(v)) next = Number(v);
      else if (issue.expected === 'boolean' && (v === 'true' || v === 'false')) next = v === 'true';
      else if (issue.expected === 'array') next = [v];
      if (next !== v) {
        (parent as Body)[key] = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return value;
}
