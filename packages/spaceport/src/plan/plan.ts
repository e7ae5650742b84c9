/**
 * Planning: refresh what runs (every provider's `read`), apply `moved:` to the recorded state, diff the
 * config against live values, and mark drift (live differs from what state recorded). A plan never writes:
 * `apply` executes it. The order of a plan is the order of apply: moves, then creates and updates by
 * dependency order (add-ons, apps, gateway), then deletes in reverse, so nothing points at a removed resource.
 */
import { randomUUID } from 'node:crypto';
import { checkAddress, isUnder, rebase } from './address.js';
import { sameValue } from './canonical.js';
import { forceReplacements } from './replace.js';
import { targetSelection, targetingWarning } from './target.js';
import type { AnyProvider, Change } from './types.js';

export interface ResourceRecord {
  id: string;
  kind: string;
  attributes: unknown;
}

export interface PlanOptions {
  /** Renames from the config's `moved:`. */
  moved?: readonly { from: string; to: string }[];
  /** Plan to remove everything (`destroy`): the config's resources are ignored. */
  destroy?: boolean;
  /** With destroy: delete databases' and topics' data too. */
  includeData?: boolean;
  /** Allow changes that destroy data (a renamed app with a database, without moved:). */
  allowDestroy?: boolean;
  /** `--target`: only the changes at or under these addresses and what they depend on (target.ts). */
  targets?: readonly string[];
  /** `--replace`: re-create these resources although they need no change (replace.ts). */
  replace?: readonly string[];
}

export interface Plan {
  /** Every change in apply order, noops included (apply records them in state). */
  changes: Change[];
  /** Reasons the plan must not be applied as is (data would be destroyed without --allow-destroy). */
  refusals: string[];
  warnings: string[];
}

/** Changes a user sees: everything but noops. */
export function visibleChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action !== 'noop');
}

/** Noops that record a running resource state has no record of (Terraform's imports). */
export function importedChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action === 'noop' && c.imported);
}

export class PlanError extends Error {}

/** Builds a plan for `providers` against `resources` (state.resources). */
export async function makePlan<Ctx>(
  providers: readonly AnyProvider<Ctx>[],
  ctx: Ctx,
  resources: Readonly<Record<string, ResourceRecord>>,
  opts: PlanOptions = {},
): Promise<Plan> {
  (opts.moved ?? []).forEach((m, i) => {
    const bad = checkAddress(m.from) ?? checkAddress(m.to);
    if (bad) throw new PlanError(`moved[${i}]: ${bad}; write addresses like apps.old-name or gateway.services.api.routes.old`);
    if (m.from.split('.')[0] !== m.to.split('.')[0]) throw new PlanError(`moved[${i}]: ${m.from} and ${m.to} are different kinds of resource; a move keeps the kind`);
  });
  const kinds = new Set<string>();
  for (const p of providers) {
    if (kinds.has(p.kind)) throw new PlanError(`two providers of kind "${p.kind}"`);
    kinds.add(p.kind);
  }
  // Desired first: providers learn the config's context from it (which add-on is the broker), reads use it.
  // A destroy still asks, then wants nothing.
  const desireds = providers.map((p) => {
    const d = p.desired(ctx);
    return opts.destroy ? new Map<string, unknown>() : d;
  });
  const lives = await Promise.all(
    providers.map((p) =>
      p.read().catch((err: Error) => {
        throw new PlanError(`cannot read the live ${p.kind} resources: ${err.message}`);
      }),
    ),
  );
  const fixed = new Set(providers.filter((p) => p.canMove === false).map((p) => p.kind));
  const { records, movedTo } = applyMoves(resources, opts.moved ?? [], fixed);
  const byKind = new Map<string, Map<string, ResourceRecord>>();
  for (const [addr, rec] of records) {
    let m = byKind.get(rec.kind);
    if (!m) byKind.set(rec.kind, (m = new Map()));
    m.set(addr, rec);
  }
  const changes: Change[] = [];
  const warnings: string[] = [];
  providers.forEach((p, i) => {
    for (const c of planKind(p, desireds[i]!, lives[i]!, byKind.get(p.kind) ?? new Map(), movedTo, opts)) {
      changes.push(c);
      const note = c.action === 'move' && c.from ? p.moveNote?.(c.from, c.address) : undefined;
      if (note) warnings.push(note);
    }
    if (p.canMove === false && movedTo.size) {
      for (const addr of lives[i]!.keys()) {
        const next = newAddressOf(addr, movedTo);
        if (next !== undefined) warnings.push(`${addr} cannot be renamed in place (a ${p.kind} has no rename): moving it to ${next} deletes it and creates ${next}`);
      }
    }
  });
  let chosen = opts.replace?.length ? forceReplacements(changes, providers, opts.replace, warnings) : changes;
  if (opts.targets?.length) {
    const sel = targetSelection(chosen, opts.targets);
    chosen = sel.chosen;
    warnings.push(targetingWarning(opts.targets, sel.added));
  }
  const refusals = dataRefusals(chosen, opts, warnings);
  const rank = new Map(providers.map((p) => [p.kind, p.order]));
  return { changes: sortForApply(chosen, rank), refusals, warnings };
}

/** Moves recorded resources to their new addresses; `movedTo` maps every old address to its new one. */
function applyMoves(
  resources: Readonly<Record<string, ResourceRecord>>,
  moved: readonly { from: string; to: string }[],
  fixed: ReadonlySet<string>,
): { records: Map<string, ResourceRecord>; movedTo: Map<string, string> } {
  const records = new Map(Object.entries(resources));
  const movedTo = new Map<string, string>();
  for (const { from, to } of moved) {
    if (from === to) continue;
    for (const [addr, rec] of [...records]) {
      const next = rebase(addr, from, to);
      // Kinds that cannot be renamed keep their record: the old resource is deleted, the new one created.
      if (next === undefined || fixed.has(rec.kind)) continue;
      if (records.has(next)) {
        throw new PlanError(`cannot move ${addr} to ${next}: ${next} already exists; remove the moved: entry, or the resource at ${next}`);
      }
      records.delete(addr);
      records.set(next, rec);
      movedTo.set(addr, next);
    }
    // Live resources never recorded (started before state tracked them) move too.
    movedTo.set(from, to);
  }
  return { records, movedTo };
}

function newAddressOf(addr: string, movedTo: Map<string, string>): string | undefined {
  const exact = movedTo.get(addr);
  if (exact) return exact;
  for (const [from, to] of movedTo) {
    const next = rebase(addr, from, to);
    if (next !== undefined) return next;
  }
  return undefined;
}

function planKind(
  p: AnyProvider<unknown>,
  desired: Map<string, unknown>,
  live: Map<string, unknown>,
  mine: Map<string, ResourceRecord>,
  movedTo: Map<string, string>,
  opts: PlanOptions,
): Change[] {
  const equal = (a: unknown, b: unknown) => (p.equal ? p.equal(a, b) : sameValue(a, b));
  // Live values by the address they will have after moves; `movedFrom` remembers where they are now.
  const have = new Map<string, unknown>();
  const movedFrom = new Map<string, string>();
  for (const [addr, value] of live) {
    const next = movedTo.size ? newAddressOf(addr, movedTo) : undefined;
    if (next !== undefined && p.canMove !== false && !live.has(next)) {
      have.set(next, value);
      movedFrom.set(next, addr);
    } else have.set(addr, value);
  }
  const addresses = new Set<string>([...desired.keys(), ...have.keys(), ...mine.keys()]);
  const out: Change[] = [];
  for (const address of [...addresses].sort()) {
    const want = desired.get(address);
    const now = have.get(address);
    const rec = mine.get(address);
    const from = movedFrom.get(address);
    if (want === undefined && now !== undefined && !rec && !from && !p.ownsUnrecorded) continue;
    const id = rec?.id ?? randomUUID();
    const drift = rec ? (now === undefined ? true : !equal(rec.attributes, now)) : now !== undefined && want === undefined;
    const base = { address, kind: p.kind, id, drift };
    if (from) out.push({ ...base, action: 'move', from, before: now, after: want, drift: false });
    if (want === undefined && now === undefined) {
      out.push({ ...base, action: 'noop', drift: false });
      continue;
    }
    const specs = p.diff(want, now);
    if (specs.length === 0 || specs.every((s) => s.action === 'noop')) {
      // A move records its resource itself; a noop at the new address would record it even if the move failed.
      if (from) continue;
      const imported = !rec && now !== undefined && want !== undefined ? { imported: true } : {};
      out.push({ address, kind: p.kind, id, action: 'noop', before: now, after: want, drift: rec ? drift : false, ...imported });
      continue;
    }
    for (const s of specs) {
      if (s.action === 'noop') continue;
      const c: Change = { ...base, ...s };
      if (opts.destroy && s.action === 'delete' && c.destroysData && !opts.includeData) c.keepData = true;
      // A destroy knows what each deleted resource needed from its live value (destroy --target follows it back).
      if (opts.destroy && s.action === 'delete' && !c.requires && now !== undefined) {
        const refs = p.references?.(now);
        if (refs?.length) c.requires = refs;
      }
      out.push(c);
    }
  }
  return out;
}

/** Changes that lose data need consent: --allow-destroy, or destroy --include-data. */
function dataRefusals(changes: Change[], opts: PlanOptions, warnings: string[]): string[] {
  const refusals: string[] = [];
  const created = changes.filter((c) => c.action === 'create').map((c) => c.address.split('.'));
  for (const c of changes) {
    if (!c.destroysData || c.keepData || (c.action !== 'delete' && c.action !== 'replace')) continue;
    const parts = c.address.split('.');
    // A top-level resource deleted while a sibling is created is most likely a rename without moved:.
    const sibling = parts.length === 2 ? created.find((a) => a.length === 2 && a[0] === parts[0]) : undefined;
    const hint = sibling ? `; if it was renamed to ${sibling.join('.')}, add moved: [{ from: ${c.address}, to: ${sibling.join('.')} }]` : '';
    const msg = `${c.address} would be ${c.action === 'delete' ? 'destroyed' : 'replaced'}: ${c.destroysData}${hint}`;
    if (opts.allowDestroy || (opts.destroy && opts.includeData)) warnings.push(msg);
    else refusals.push(`${msg} (run with --allow-destroy to accept the loss)`);
  }
  return refusals;
}

const PHASE: Record<Change['action'], number> = { move: 0, create: 1, update: 1, replace: 1, noop: 1, delete: 2 };

function sortForApply(changes: Change[], rank: Map<string, number>): Change[] {
  const r = (c: Change) => rank.get(c.kind) ?? 0;
  return changes.sort((a, b) => {
    const pa = PHASE[a.action];
    const pb = PHASE[b.action];
    if (pa !== pb) return pa - pb;
    if (pa === 2) return r(b) - r(a) || (b.address < a.address ? -1 : b.address > a.address ? 1 : 0);
    return r(a) - r(b) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  });
}

/** Whether `address` lies under any of `prefixes`. */
export function underAny(address: string, prefixes: Iterable<string>): boolean {
  for (const p of prefixes) if (isUnder(address, p)) return true;
  return false;
}
