/**
 * Applying a plan: changes run batch by batch in plan order (one batch per phase and dependency rank, the
 * changes inside a batch in parallel up to a limit). A failure is status, not a crash: everything that
 * succeeded is recorded in state, changes that depend on a failed one are skipped, the rest still runs.
 */
import { isUnder } from './address.js';
import { sameValue } from './canonical.js';
import type { Plan, ResourceRecord } from './plan.js';
import type { AnyProvider, Change } from './types.js';

/** Where apply records resources: state.resources, behind the state store's update. */
export interface ResourceRecorder {
  read(): { resources: Readonly<Record<string, ResourceRecord>> };
  update(fn: (s: { resources: Record<string, ResourceRecord> }) => void): unknown;
}

export interface ApplyProgress {
  start?(c: Change): void;
  done?(c: Change, ms: number): void;
  failed?(c: Change, error: Error): void;
  skipped?(c: Change, reason: string): void;
}

export interface ApplyOptions {
  /** Changes run in parallel inside a batch (default 8). */
  concurrency?: number;
  progress?: ApplyProgress;
  /** Flush recorded resources to state at most this often while applying (default 250 ms). */
  flushMs?: number;
}

export interface ApplyResult {
  applied: Change[];
  failed: { change: Change; error: string }[];
  skipped: { change: Change; reason: string }[];
}

/** Executes `plan` with `providers`, recording each success in state as it lands. */
export async function applyPlan(
  plan: Plan,
  providers: readonly AnyProvider<unknown>[],
  store: ResourceRecorder,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const byKind = new Map(providers.map((p) => [p.kind, p]));
  const result: ApplyResult = { applied: [], failed: [], skipped: [] };
  const pending: ((r: Record<string, ResourceRecord>) => void)[] = [];
  let lastFlush = Date.now();
  const flush = () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0);
    store.update((s) => {
      for (const fn of batch) fn(s.resources);
    });
    lastFlush = Date.now();
  };
  const failedAddrs: string[] = [];
  // Noops compare against the state as it was when apply began (moves recorded before them do not matter:
  // a moved resource's record is rewritten by its move).
  const current = store.read().resources;
  for (const batch of batches(plan.changes, byKind)) {
    await runLimited(batch, opts.concurrency ?? 8, async (c) => {
      const p = byKind.get(c.kind);
      if (!p) throw new Error(`no provider for kind ${c.kind}`);
      if (c.action === 'noop') {
        const fn = recordNoop(c, p, current);
        if (fn) pending.push(fn);
        return;
      }
      const blocker = blockedBy(c, failedAddrs);
      if (blocker) {
        const reason = `skipped: ${blocker} failed`;
        result.skipped.push({ change: c, reason });
        opts.progress?.skipped?.(c, reason);
        return;
      }
      opts.progress?.start?.(c);
      const t0 = performance.now();
      try {
        const live = await p.apply(c);
        pending.push(record(c, live));
        result.applied.push(c);
        opts.progress?.done?.(c, performance.now() - t0);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        failedAddrs.push(c.address);
        result.failed.push({ change: c, error: error.message });
        opts.progress?.failed?.(c, error);
      }
      if (Date.now() - lastFlush > (opts.flushMs ?? 250)) flush();
    });
  }
  flush();
  return result;
}

/** Consecutive changes of one phase and one provider rank form a batch (plan order is apply order). */
function batches(changes: Change[], byKind: Map<string, AnyProvider<unknown>>): Change[][] {
  const out: Change[][] = [];
  let key = '';
  for (const c of changes) {
    const phase = c.action === 'move' ? 'm' : c.action === 'delete' ? 'd' : 'c';
    const k = `${phase}:${byKind.get(c.kind)?.order ?? 0}`;
    if (k !== key || out.length === 0) out.push([]);
    key = k;
    out[out.length - 1]!.push(c);
  }
  return out;
}

/** A change is skipped when it lies under, or requires, something that failed (and the reverse: a parent). */
function blockedBy(c: Change, failed: string[]): string | undefined {
  for (const f of failed) {
    if (isUnder(c.address, f)) return f;
    if (c.from && isUnder(c.from, f)) return f;
    for (const r of c.requires ?? []) if (isUnder(r, f) || isUnder(f, r)) return f;
  }
  return undefined;
}

function record(c: Change, live: unknown): (r: Record<string, ResourceRecord>) => void {
  return (r) => {
    if (c.action === 'move') {
      const prev = c.from !== undefined ? r[c.from] : undefined;
      if (c.from !== undefined) delete r[c.from];
      r[c.address] = { id: prev?.id ?? c.id, kind: c.kind, attributes: live ?? prev?.attributes ?? c.before };
    } else if (c.action === 'delete') {
      delete r[c.address];
    } else {
      r[c.address] = { id: c.id, kind: c.kind, attributes: live ?? c.after };
    }
  };
}

/** A noop refreshes state: the live value is recorded (so drift is measured from it), or a gone record dropped. */
function recordNoop(
  c: Change,
  p: AnyProvider<unknown>,
  current: Readonly<Record<string, ResourceRecord>>,
): ((r: Record<string, ResourceRecord>) => void) | undefined {
  const prev = current[c.address];
  if (c.before === undefined && c.after === undefined) {
    return prev ? (r) => void delete r[c.address] : undefined;
  }
  const value = c.before ?? c.after;
  if (prev && prev.kind === c.kind && (p.equal ? p.equal(prev.attributes, value) : sameValue(prev.attributes, value))) return undefined;
  return (r) => {
    r[c.address] = { id: r[c.address]?.id ?? c.id, kind: c.kind, attributes: value };
  };
}

async function runLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
