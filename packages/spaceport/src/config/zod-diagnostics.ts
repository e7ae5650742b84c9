/** Turns schema issues into located diagnostics, with "did you mean" for misspelt keys. */
import type { z } from 'zod';
import { pathToString, type Diagnostic } from './diagnostics.js';
import { didYouMean } from './did-you-mean.js';
import { positionOf, type ParsedDocument } from './document.js';
import { spaceSchema } from './schema.js';

type Def = { type: string; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object keys the schema allows at `path` (walking through defaults, records, arrays and unions). */
export function knownKeysAt(path: readonly PropertyKey[], schema: z.ZodType = spaceSchema, raw?: unknown): string[] {
  let s: z.ZodType | undefined = schema;
  let value: unknown = raw;
  const unwrap = () => {
    for (;;) {
      if (!s) return;
      const d = defOf(s);
      if (d.innerType) s = d.innerType;
      else if (d.type === 'pipe' && d.in) s = d.in;
      else if (d.type === 'union' && d.options) {
        // pick the object option; for discriminated unions, the one whose literal matches the value
        const objects = d.options.filter((o) => defOf(o).type === 'object');
        const typed = objects.find((o) => {
          const t = defOf(o).shape?.type;
          const lit = t ? (defOf(t) as unknown as { values?: unknown[] }).values : undefined;
          return lit && value && typeof value === 'object' && lit.includes((value as { type?: unknown }).type);
        });
        s = typed ?? objects[0] ?? d.options[0];
        if (defOf(s!).type !== 'union') continue;
        return;
      } else return;
    }
  };
  unwrap();
  for (const p of path) {
    if (!s) return [];
    const d = defOf(s);
    if (d.type === 'object') s = d.shape?.[String(p)];
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'array') s = d.element;
    else return [];
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[String(p)] : undefined;
    unwrap();
  }
  if (!s) return [];
  const d = defOf(s);
  return d.type === 'object' ? Object.keys(d.shape ?? {}) : [];
}

export function issuesToDiagnostics(issues: z.core.$ZodIssue[], parsed: ParsedDocument, raw: unknown): Diagnostic[] {
  if (raw === null || raw === undefined || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)) {
    // An empty file (or only comments): one message for it, not "name: required" at 1:1.
    return [{ severity: 'error', ...positionOf(parsed, []), path: '', message: 'the file is empty: a space needs a name and its apps', hint: 'start with\n      name: my-space\n      apps:\n        web: { processes: { web: node server.js } }' }];
  }
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path, spaceSchema, raw);
      for (const key of issue.keys) {
        const guess = didYouMean(key, known);
        out.push({
          severity: 'error',
          ...positionOf(parsed, issue.path, key),
          path: pathToString([...issue.path, key]),
          message: `unknown key "${key}"`,
          hint: guess ? `did you mean "${guess}"?` : known.length ? `allowed keys here: ${known.join(', ')}` : undefined,
        });
      }
      continue;
    }
    out.push({
      severity: 'error',
      // a bad name is pointed at where it is written (the key), not at its value
      ...(issue.code === 'invalid_key' ? positionOf(parsed, issue.path.slice(0, -1), String(issue.path.at(-1))) : positionOf(parsed, issue.path)),
      path: pathToString(issue.path),
      message: describeIssue(issue, raw),
      hint: hintFor(issue, raw),
    });
  }
  return out;
}

/** What a schema type is called in a message about YAML: a record or object is a mapping, an array a list. */
const TYPE_WORDS: Record<string, string> = {
  record: 'a mapping (key: value)',
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true/false',
};

/** What the file holds, in the same words: `a list`, `nothing (null)`, `the string "soon"`. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  return `${typeof v === 'boolean' ? 'the boolean' : 'the number'} ${String(v)}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(p)] : undefined;
  return v;
}

function words(types: string[]): string {
  const w = [...new Set(types.map((t) => TYPE_WORDS[t] ?? t))];
  return w.length > 1 ? `${w.slice(0, -1).join(', ')} or ${w.at(-1)}` : (w[0] ?? 'another value');
}

/** The message of one issue; `raw` is the whole file's data, to name what it holds at the issue's path. */
export function describeIssue(issue: z.core.$ZodIssue, raw?: unknown): string {
  if (issue.code === 'invalid_type') {
    if (issue.message.includes('received undefined')) return `required: expected ${words([issue.expected])}`;
    return `expected ${words([issue.expected])}, got ${describeValue(valueAt(raw, issue.path))}`;
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    const type = valueAt(raw, issue.path);
    return type === undefined ? 'required' : `unknown add-on type ${JSON.stringify(type)}`;
  }
  if (issue.code === 'invalid_union' && Array.isArray(issue.errors)) {
    // every option failed on its type (a config var that is a list): name the types it may be
    const expected = issue.errors.flat().flatMap((e) => (e.code === 'invalid_type' && e.path.length === 0 ? [e.expected] : []));
    if (expected.length === issue.errors.length) return `expected ${words(expected)}, got ${describeValue(valueAt(raw, issue.path))}`;
  }
  if (issue.code === 'invalid_value') return `${issue.message.replace(/^Invalid (input|option): /, '')}`;
  if ((issue.code === 'too_small' || issue.code === 'too_big') && issue.origin === 'number' && /^Too (small|big): /.test(issue.message)) {
    // zod's own "Too small: expected number to be >=1" (a schema's own message is kept): the bound in words and the value.
    const small = issue.code === 'too_small';
    const bound = Number(small ? issue.minimum : issue.maximum);
    const words = small ? (issue.inclusive ? `at least ${bound}` : `above ${bound}`) : issue.inclusive ? `at most ${bound}` : `below ${bound}`;
    return `must be ${words}, got ${describeValue(valueAt(raw, issue.path))}`;
  }
  if (issue.code === 'invalid_key') {
    // A name the file uses as a key (an app, a service, a topic): zod says only "Invalid key in record".
    const why = issue.issues.map((i) => i.message).join('; ');
    return `${JSON.stringify(String(issue.path.at(-1)))} is not a valid name: ${why}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

function hintFor(issue: z.core.$ZodIssue, raw?: unknown): string | undefined {
  if (issue.code === 'invalid_union' && ('discriminator' in issue || issue.path.at(-1) === 'type')) {
    const type = valueAt(raw, issue.path);
    const guess = typeof type === 'string' ? didYouMean(type, ['postgres', 'kafka']) : undefined;
    return guess ? `did you mean "${guess}"? (type is one of: postgres, kafka)` : 'type is one of: postgres, kafka';
  }
  return undefined;
}
