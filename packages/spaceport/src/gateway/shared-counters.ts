/**
 * Counters shared by the workers of a gateway (rate-limiting's local policy spans the node, as Kong's does
 * across nginx workers). Each worker counts locally and exchanges deltas through the parent every 50 ms;
 * a count is the worker's own plus the others' last known. Between two syncs, other workers' newest
 * requests are not seen yet: the bound on over-admission is what they accept in 50 ms.
 */

/** Key, window start, delta, window length: one counter update. */
export type CounterDelta = [key: string, windowStart: number, delta: number, windowMs: number];
/** Key, window start, total over all workers, window length. */
export type CounterTotal = [key: string, windowStart: number, total: number, windowMs: number];

interface Entry {
  windowStart: number;
  windowMs: number;
  local: number;
  /** Own count the parent has been told about. */
  reported: number;
  /** Cluster total from the last sync. */
  total: number;
}

export const SYNC_MS = 50;

/** A worker's view of the shared counters. */
export class SharedCounters {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private nextSweep = 0;
  /** Whether other workers exist (set from the config); a single worker counts locally and exactly. */
  shared = false;

  /** `send` delivers deltas to the parent. */
  constructor(private readonly send: (deltas: CounterDelta[]) => void) {}

  /** Adds one to `key` in the window starting at `windowStart`; returns the count before adding. */
  take(key: string, windowStart: number, windowMs: number): number {
    let e = this.entries.get(key);
    if (e === undefined || e.windowStart !== windowStart) {
      if (this.entries.size >= 10_000) this.sweep();
      e = { windowStart, windowMs, local: 0, reported: 0, total: 0 };
      this.entries.set(key, e);
    }
    const before = e.local + Math.max(0, e.total - e.reported);
    e.local++;
    if (this.shared) {
      this.dirty.add(key);
      if (this.timer === undefined) this.timer = setTimeout(this.flushBound, SYNC_MS);
    }
    return before;
  }

  /** Current count without adding. */
  peek(key: string, windowStart: number): number {
    const e = this.entries.get(key);
    return e === undefined || e.windowStart !== windowStart ? 0 : e.local + Math.max(0, e.total - e.reported);
  }

  private readonly flushBound = () => this.flush();

  flush(): void {
    this.timer = undefined;
    const deltas: CounterDelta[] = [];
    for (const key of this.dirty) {
      const e = this.entries.get(key);
      if (e === undefined || e.local === e.reported) continue;
      deltas.push([key, e.windowStart, e.local - e.reported, e.windowMs]);
      e.reported = e.local;
    }
    this.dirty.clear();
    if (deltas.length !== 0) this.send(deltas);
  }

  // Windows that ended are dropped (at most once a second) so idle keys do not accumulate.
  private sweep(): void {
    const now = Date.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1000;
    for (const [k, e] of this.entries) if (e.windowStart + e.windowMs <= now) this.entries.delete(k);
  }

  /** Totals from the parent. */
  apply(totals: readonly CounterTotal[]): void {
    for (const [key, windowStart, total, windowMs] of totals) {
      const e = this.entries.get(key);
      if (e !== undefined && e.windowStart === windowStart) e.total = Math.max(e.total, total);
      else if (e === undefined || e.windowStart < windowStart) this.entries.set(key, { windowStart, windowMs, local: 0, reported: 0, total });
    }
  }
}

/** The parent's side: sums deltas from every worker and answers with totals. */
export class CounterHub {
  private readonly totals = new Map<string, { windowStart: number; windowMs: number; total: number }>();

  add(deltas: readonly CounterDelta[]): CounterTotal[] {
    const now = Date.now();
    const out: CounterTotal[] = [];
    for (const [key, windowStart, delta, windowMs] of deltas) {
      let t = this.totals.get(key);
      if (t === undefined || t.windowStart < windowStart) {
        t = { windowStart, windowMs, total: 0 };
        this.totals.set(key, t);
      }
      if (t.windowStart !== windowStart) continue; // a late delta for a window that already ended
      t.total += delta;
      out.push([key, windowStart, t.total, windowMs]);
    }
    if (this.totals.size > 10_000) for (const [k, t] of this.totals) if (t.windowStart + t.windowMs <= now) this.totals.delete(k);
    return out;
  }

  /** Totals of windows still open, for a worker that just joined (a replacement must not start from zero). */
  snapshot(): CounterTotal[] {
    const now = Date.now();
    const out: CounterTotal[] = [];
    for (const [key, t] of this.totals) if (t.windowStart + t.windowMs > now) out.push([key, t.windowStart, t.total, t.windowMs]);
    return out;
  }
}
