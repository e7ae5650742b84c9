/**
 * Minimal edits of a YAML file: set or delete a value at a config path by splicing only the text of that
 * value, so every other byte of the file (comments, spacing before them, quoting, blank lines, key order)
 * stays as the user wrote it. Node positions come from the yaml Document API; a flow collection (`{ web: 1 }`)
 * is re-rendered as a whole, since its items share one line.
 */
import { isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type YAMLMap } from 'yaml';

export type YamlPath = readonly (string | number)[];

const lineStart = (t: string, at: number) => t.lastIndexOf('\n', at - 1) + 1;
const lineEnd = (t: string, at: number) => {
  const i = t.indexOf('\n', at);
  return i < 0 ? t.length : i + 1;
};

function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** How a flow collection was written: `{ a: 1 }` or `{a: 1}`, `[x]` or `[ x ]`. */
interface FlowStyle {
  padMap: boolean;
  padSeq: boolean;
}
const DEFAULT_FLOW: FlowStyle = { padMap: true, padSeq: false };

function flowStyleOf(source: string): FlowStyle {
  return { padMap: !/\{[^\s}]/.test(source) || /\{\s/.test(source), padSeq: /\[\s/.test(source) };
}

/** A value in flow style (`{ paths: [/a], strip_path: false }`); strings that flow syntax would misread are quoted. */
function flowText(value: unknown, style: FlowStyle): string {
  if (Array.isArray(value)) {
    const inner = value.map((v) => flowText(v, style)).join(', ');
    return style.padSeq && inner ? `[ ${inner} ]` : `[${inner}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${flowText(k, style)}: ${flowText(v, style)}`)
      .join(', ');
    return style.padMap && inner ? `{ ${inner} }` : `{${inner}}`;
  }
  if (typeof value === 'string' && /[,[\]{}#]|: |^\s|\s$/.test(value)) return JSON.stringify(value);
  return scalarText(value);
}

/** `key: value` lines at `indent`: collections in block style, or in flow style like their siblings. */
function pairText(key: string | number, value: unknown, indent: number, flow = false, flowStyle = DEFAULT_FLOW): string {
  const pad = ' '.repeat(indent);
  const k = scalarText(key);
  if (flow && value !== null && typeof value === 'object') return `${pad}${k}: ${flowText(value, flowStyle)}\n`;
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const body = stringify(value, { lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((l) => ' '.repeat(indent + 2) + l)
      .join('\n');
    return `${pad}${k}:\n${body}\n`;
  }
  return `${pad}${k}: ${scalarText(value)}\n`;
}

function findPair(map: YAMLMap, key: string | number): Pair<Node, Node> | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key)) as Pair<Node, Node> | undefined;
}

/** Start of the lines a pair occupies, including comment lines right above it at its indentation. */
function pairStart(text: string, pair: Pair<Node, Node>): number {
  const keyAt = pair.key.range![0];
  let start = lineStart(text, keyAt);
  const indent = keyAt - start;
  for (;;) {
    if (start === 0) return start;
    const prev = lineStart(text, start - 1);
    const line = text.slice(prev, start - 1);
    if (line.trimStart().startsWith('#') && line.length - line.trimStart().length === indent) start = prev;
    else return start;
  }
}

/** End (after the newline) of the last line a pair occupies. */
function pairEnd(text: string, pair: Pair<Node, Node>): number {
  const v = pair.value;
  const end = v?.range ? Math.max(v.range[1], pair.key.range![1]) : pair.key.range![1];
  return lineEnd(text, Math.max(end - 1, pair.key.range![0]));
}

/** Sets `rest` inside a plain value (undefined deletes), returning the changed copy. */
function setPlain(base: unknown, rest: YamlPath, value: unknown): unknown {
  if (rest.length === 0) return value;
  const [k, ...more] = rest;
  const copy: Record<string | number, unknown> = Array.isArray(base) ? ([...base] as never) : { ...((base ?? {}) as object) };
  const next = setPlain(copy[k!], more, value);
  if (next === undefined) delete copy[k!];
  else copy[k!] = next;
  return copy;
}

/** Replaces the flow collection `node` with its edited value, in the style it was written in. */
function rerenderFlow(text: string, node: Node, rest: YamlPath, value: unknown): string {
  const [start, end] = node.range!;
  const plain = setPlain((node as YAMLMap).toJSON(), rest, value);
  return text.slice(0, start) + flowText(plain, flowStyleOf(text.slice(start, end))) + text.slice(end);
}

/** Sets `path` to `value` (undefined deletes it), touching only the text of that value. */
export function setYamlValue(text: string, path: YamlPath, value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`cannot edit the file: ${doc.errors[0]!.message}`);
  // Deepest existing map along the path.
  let depth = 0;
  let map = doc.contents as Node | null;
  while (depth < path.length - 1) {
    const next = isMap(map) ? (map.get(path[depth], true) as Node | undefined) : undefined;
    if (!isMap(next)) break;
    map = next;
    depth++;
  }
  if (!isMap(map)) throw new Error(`cannot edit ${path.join('.')}: ${path.slice(0, depth).join('.') || 'the file'} is not a mapping`);
  // Inside a flow collection: the whole collection is written again (its items share one line).
  if (map.flow) return rerenderFlow(text, map, path.slice(depth), value);
  const key = path[depth]!;
  const rest = path.slice(depth + 1);
  const pair = findPair(map, key);
  // The value to put at `key`: the new value, nested under what of the path does not exist yet.
  const nested = rest.length === 0 ? value : rest.reduceRight<unknown>((v, k) => ({ [k]: v }), value);
  if (pair && rest.length === 0 && value !== undefined && isScalar(pair.value) && pair.value.value !== null && (value === null || typeof value !== 'object')) {
    const r = pair.value.range!;
    return text.slice(0, r[0]) + scalarText(value) + text.slice(r[1]);
  }
  const pv = pair?.value;
  if (pair && value !== undefined && value !== null && typeof value === 'object' && (isMap(pv) || isSeq(pv)) && pv.flow) {
    if (rest.length === 0) return text.slice(0, pv.range![0]) + flowText(value, flowStyleOf(text.slice(pv.range![0], pv.range![1]))) + text.slice(pv.range![1]);
  }
  if (pair && rest.length > 0 && value === undefined) return text; // deleting under something absent
  if (!pair && value === undefined) return text;
  const first = map.items[0] as Pair<Node, Node> | undefined;
  const indent = first ? first.key.range![0] - lineStart(text, first.key.range![0]) : 0;
  if (pair) {
    const start = pairStart(text, pair);
    const end = pairEnd(text, pair);
    const keyLine = lineStart(text, pair.key.range![0]);
    const replaced = value === undefined ? '' : text.slice(start, keyLine) + pairText(key, nested, indent);
    return text.slice(0, start) + replaced + text.slice(end);
  }
  const last = map.items[map.items.length - 1] as Pair<Node, Node> | undefined;
  const at = last ? pairEnd(text, last) : text.length;
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  // A new entry among flow-style siblings (`home: { paths: [/] }`) is written the same way.
  const flow = Boolean(last && (isMap(last.value) || isSeq(last.value)) && (last.value as { flow?: boolean }).flow);
  const style = flow ? flowStyleOf(text.slice(last!.value!.range![0], last!.value!.range![1])) : DEFAULT_FLOW;
  return text.slice(0, at) + prefix + pairText(key, nested, indent, flow, style) + text.slice(at);
}

/** Deletes `path` and then every map above it (below `keepDepth`) that the delete left empty. */
export function deleteYamlValue(text: string, path: YamlPath, keepDepth = 2): string {
  let out = setYamlValue(text, path, undefined);
  for (let p = path.slice(0, -1); p.length > keepDepth; p = p.slice(0, -1)) {
    const node = parseDocument(out).getIn(p, true);
    if (!(isMap(node) && node.items.length === 0) && !(isScalar(node) && node.value === null)) break;
    out = setYamlValue(out, p, undefined);
  }
  return out;
}


