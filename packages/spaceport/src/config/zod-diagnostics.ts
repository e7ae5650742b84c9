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
      ...positionOf(parsed, issue.path),
      path: pathToString(issue.path),
      message: describeIssue(issue),
      hint: hintFor(issue),
    });
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.message.includes('received undefined')) return `required: expected ${issue.expected}`;
    return `expected ${issue.expected}, ${issue.message.replace(/^Invalid input: expected \w+, /, '')}`;
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return 'unknown add-on type';
  }
  if (issue.code === 'invalid_value') return `${issue.message.replace(/^Invalid (input|option): /, '')}`;
  return issue.message;
}

function hintFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_union' && 'discriminator' in issue) return 'type is one of: postgres, kafka';
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'type') return 'type is one of: postgres, kafka';
  return undefined;
}
