/**
 * Renders a plan the way `terraform plan` does: one block per change (`+` create, `~` update, `-/+`
 * replace, `-` delete, `->` move) with its attributes before → after, secrets masked, and a summary line.
 * `--json` prints the same changes as data.
 */
import { canonical } from './canonical.js';
import { MASK, maskValue } from './mask.js';
import { importedChanges, visibleChanges, type Plan } from './plan.js';
import type { AnyProvider, Change } from './types.js';

export interface RenderOptions {
  color?: boolean;
  /** Provider-specific sensitivity, by kind. */
  providers?: readonly AnyProvider<unknown>[];
}

const SYMBOL: Record<Change['action'], string> = { create: '  +', update: '  ~', replace: '-/+', delete: '  -', move: ' ->', noop: '   ' };
const COLOR: Record<string, string> = { '+': '32', '~': '33', '-': '31', '>': '36' };

/** The summary counts, Terraform's way: a replace is one add and one destroy. */
export function summarize(changes: readonly Change[]): { add: number; change: number; destroy: number; move: number } {
  const n = { add: 0, change: 0, destroy: 0, move: 0 };
  for (const c of changes) {
    if (c.action === 'create' || c.action === 'replace') n.add++;
    if (c.action === 'update') n.change++;
    if (c.action === 'delete' || c.action === 'replace') n.destroy++;
    if (c.action === 'move') n.move++;
  }
  return n;
}

export function summaryLine(changes: readonly Change[], imports = 0): string {
  const n = summarize(changes);
  return `Plan: ${imports ? `${imports} to import, ` : ''}${n.add} to add, ${n.change} to change, ${n.destroy} to destroy, ${n.move} to move.`;
}

/** The plan as text. */
export function renderPlan(plan: Plan, opts: RenderOptions = {}): string {
  const changes = visibleChanges(plan);
  const paint = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const imports = importedChanges(plan);
  if (changes.length === 0 && imports.length === 0) {
    lines.push('No changes. The running space matches the configuration.');
  } else {
    lines.push('Spaceport will perform the following actions:', '');
    for (const c of imports) {
      lines.push(paint('1', `  # ${c.address} will be imported: it runs as spaceport.yaml says, and state has no record of it`), paint('36', `    ${c.address}`), '');
    }
    for (const c of changes) {
      const sens = sensitivity(c, opts.providers);
      lines.push(paint('1', `  # ${headline(c)}`));
      const sym = SYMBOL[c.action];
      lines.push(paint(COLOR[sym.trim().slice(-1)] ?? '0', `${sym} ${c.address}`));
      for (const l of attributeLines(c, sens)) lines.push(paint(COLOR[l.trim()[0]!] ?? '0', `      ${l}`));
      lines.push('');
    }
  }
  for (const w of plan.warnings) lines.push(paint('33', `Warning: ${w}`));
  for (const r of plan.refusals) lines.push(paint('31', `Error: ${r}`));
  if (plan.warnings.length || plan.refusals.length) lines.push('');
  lines.push(summaryLine(changes, imports.length));
  return lines.join('\n') + '\n';
}

function headline(c: Change): string {
  const drift = c.drift ? (c.before !== undefined && c.after === undefined && c.action === 'delete' ? ' (created outside Spaceport)' : ' (changed outside Spaceport)') : '';
  switch (c.action) {
    case 'create':
      return `${c.address} will be created${drift}`;
    case 'update':
      return `${c.address} will be updated in place${drift}`;
    case 'replace':
      return `${c.address} must be replaced${c.reason ? ` (${c.reason})` : ''}${drift}`;
    case 'delete':
      return `${c.address} will be destroyed${c.keepData ? ' (its data is kept)' : ''}${drift}`;
    case 'move':
      return `${c.from} has moved to ${c.address}`;
    default:
      return c.address;
  }
}

type Leaf = Map<string, unknown>;

/** Flattens a value to dotted attribute paths; arrays stay whole (shown as JSON). */
function leaves(value: unknown, prefix = '', out: Leaf = new Map()): Leaf {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix || 'value', value);
  return out;
}

/** Attributes the file writes as durations (`60s`) and the providers hold in milliseconds: shown as written. */
const DURATION = /(^|\.)(boot_timeout|stop_timeout|connect_timeout|read_timeout|write_timeout|interval|retention)$/;

/** A value as plan shows it: strings quoted, durations as written in the file (`60s`), the rest as JSON. */
export function showValue(v: unknown, key = ''): string {
  return show(v, key);
}

function show(v: unknown, key = ''): string {
  if (typeof v === 'number' && DURATION.test(key)) return duration(v);
  return typeof v === 'string' ? JSON.stringify(v) : canonical(v);
}

function duration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `~ count: 3 → 2` lines for the attributes that differ (all of them for create and delete). */
function attributeLines(c: Change, sens: (path: string[]) => boolean): string[] {
  if (c.action === 'move') return [];
  const before = c.action === 'create' ? new Map() : leaves(maskValue(c.before, sens));
  const after = c.action === 'delete' ? new Map() : leaves(maskValue(c.after, sens));
  const rawBefore = c.action === 'create' ? new Map() : leaves(c.before);
  const rawAfter = c.action === 'delete' ? new Map() : leaves(c.after);
  const all = [...new Set([...before.keys(), ...after.keys()])];
  // An emptied map shows as its removed members, not as a new `{}`.
  const isEmptyMap = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
  const keys = all.filter((k) => !((isEmptyMap(before.get(k)) || isEmptyMap(after.get(k))) && all.some((o) => o.startsWith(k + '.')))).sort();
  const out: string[] = [];
  for (const k of keys) {
    const b = before.get(k);
    const a = after.get(k);
    // Unset attributes (null) of a created or destroyed resource say nothing: left out, as terraform does.
    if (b === undefined) {
      if (a !== null) out.push(`+ ${k}: ${show(a, k)}`);
    } else if (a === undefined) {
      if (b !== null) out.push(`- ${k}: ${show(b, k)}`);
    }
    else if (canonical(rawBefore.get(k)) !== canonical(rawAfter.get(k))) {
      out.push(`~ ${k}: ${b === MASK && a === MASK ? `${MASK} (changed)` : `${show(b, k)} → ${show(a, k)}`}`);
    }
  }
  return out;
}

function sensitivity(c: Change, providers?: readonly AnyProvider<unknown>[]): (path: string[]) => boolean {
  const p = providers?.find((x) => x.kind === c.kind);
  return (path) => p?.sensitive?.(path) ?? false;
}

/** The plan as `{"changes":[{address, action, before, after, drift}]}`, secrets masked, noops left out. */
export function planJson(plan: Plan, opts: RenderOptions = {}): { changes: Record<string, unknown>[]; imports?: string[]; refusals?: string[]; warnings?: string[] } {
  const changes = visibleChanges(plan).map((c) => {
    const sens = sensitivity(c, opts.providers);
    const o: Record<string, unknown> = {
      address: c.address,
      action: c.action,
      before: maskValue(c.before, sens) ?? null,
      after: maskValue(c.after, sens) ?? null,
      drift: c.drift,
    };
    if (c.from) o.from = c.from;
    if (c.reason) o.reason = c.reason;
    return o;
  });
  const out: { changes: Record<string, unknown>[]; imports?: string[]; refusals?: string[]; warnings?: string[] } = { changes };
  const imports = importedChanges(plan).map((c) => c.address);
  if (imports.length) out.imports = imports;
  if (plan.refusals.length) out.refusals = plan.refusals;
  if (plan.warnings.length) out.warnings = plan.warnings;
  return out;
}
