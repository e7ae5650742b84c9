/**
 * The YAML document with positions: parsing, `${VAR}` interpolation on string scalars, and mapping a
 * config path back to a line and column. Interpolation happens on the document so errors point at the scalar.
 * Building it is the slow part of loading a config: read-yaml.ts builds it only when it is needed.
 */
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import { pathToString, type Diagnostic } from './diagnostics.js';

type YamlLib = typeof import('yaml');
let yamlLib: YamlLib | undefined;
/** The yaml library, loaded on first use: a config read fast with nothing to report never needs it. */
const Y = (): YamlLib => (yamlLib ??= createRequire(import.meta.url)('yaml') as YamlLib);

export interface ParsedDocument {
  doc: Document;
  lines: LineCounter;
  file: string;
}

export function parseYaml(text: string, file: string): { parsed: ParsedDocument; diagnostics: Diagnostic[] } {
  const lines = new (Y().LineCounter)();
  const doc = Y().parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({
      severity: doc.errors.includes(e) ? 'error' : 'warning',
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      // yaml's own wording for a second document is advice to its API's callers ("use YAML.parseAllDocuments()").
      message: e.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document: a --- line here starts another' : e.message.split('\n')[0]!,
      hint:
        e.code === 'DUPLICATE_KEY'
          ? 'remove or rename one of the two keys'
          : e.code === 'MULTIPLE_DOCS'
            ? 'a space is one document: remove the --- line, or give the other space a directory of its own'
            : 'check the YAML syntax at this spot',
    });
  }
  return { parsed: { doc, lines, file }, diagnostics };
}

/** `${VAR}`, or `$${` (a literal `${`). */
export const VAR_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\$\{/g;

/** Replaces `${VAR}` in every string scalar with the environment's value; `$${` is a literal `${`. */
export function interpolate(parsed: ParsedDocument, env: NodeJS.ProcessEnv): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  Y().visit(parsed.doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(VAR_RE, (whole, name: string | undefined) => {
        if (name === undefined) return '${';
        const v = env[name];
        if (v === undefined) {
          const at = locate(parsed, node);
          diagnostics.push({
            ...at,
            severity: 'error',
            path: pathToString(configPathOf(path, node)),
            message: `environment variable ${name} is not set`,
            hint: `set it (export ${name}=...) before running spaceport, or write $\${${name}} for a literal`,
          });
          return whole;
        }
        return v;
      });
    },
  });
  return diagnostics;
}

/** The document's data; an alias with no anchor before it is a diagnostic at the alias, not a throw. */
export function toData(parsed: ParsedDocument): { value: unknown } | { error: Diagnostic } {
  try {
    return { value: parsed.doc.toJS() };
  } catch (err) {
    let at = { file: parsed.file, line: 1, column: 1 };
    Y().visit(parsed.doc, {
      Alias(_key, node) {
        if (node.resolve(parsed.doc)) return undefined;
        at = locate(parsed, node);
        return Y().visit.BREAK;
      },
    });
    const message = (err as Error).message.split('\n')[0]!;
    return { error: { severity: 'error', ...at, path: '', message, hint: 'define the anchor (&name) before the alias (*name) that refers to it' } };
  }
}

function configPathOf(ancestors: readonly unknown[], node: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const a = chain[i];
    const next = chain[i + 1];
    if (Y().isPair(a) && Y().isScalar(a.key)) {
      if (next === a.key) break;
      out.push(String(a.key.value));
    } else if (Y().isSeq(a) && next !== undefined) {
      const idx = a.items.indexOf(next as never);
      if (idx >= 0) out.push(idx);
    }
  }
  return out;
}

function locate(parsed: ParsedDocument, node: { range?: [number, number, number] | null } | null | undefined) {
  const offset = node?.range?.[0] ?? 0;
  const pos = parsed.lines.linePos(offset);
  return { file: parsed.file, line: pos.line, column: pos.col };
}

/**
 * Position of a config path in the file: the value node if present, otherwise the deepest existing ancestor.
 * With `key` set, points at that key inside the map at `path` (for unknown keys).
 */
export function positionOf(
  parsed: ParsedDocument,
  path: readonly PropertyKey[],
  key?: string,
): { file: string; line: number; column: number } {
  let node: unknown = parsed.doc.contents;
  let best: unknown = node;
  for (const p of path) {
    if (Y().isMap(node)) {
      const pair = node.items.find((it) => Y().isScalar(it.key) && String(it.key.value) === String(p));
      if (!pair) break;
      best = pair.key;
      node = pair.value;
      if (node) best = node;
    } else if (Y().isSeq(node) && typeof p === 'number') {
      node = node.items[p];
      if (!node) break;
      best = node;
    } else break;
  }
  if (key !== undefined && Y().isMap(node)) {
    const pair = node.items.find((it) => Y().isScalar(it.key) && String(it.key.value) === key);
    if (pair) best = pair.key;
  }
  return locate(parsed, best as Node);
}
