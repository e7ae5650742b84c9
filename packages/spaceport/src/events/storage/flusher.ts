/**
 * Group commit: appends land in the page cache at once; durability is one fdatasync per dirty partition per
 * flush window, shared by every producer that appended meanwhile. A window opens when the previous fsync ends,
 * so at low load a produce waits for one fsync and under load the fsync cost is spread over many requests.
 */
import type { PartitionLog } from './partition-log.js';

/** Receives how long each request waited for its round to start, and each round's fsync time (ms). */
export type FlushTimings = (step: 'flushWait' | 'fsync', ms: number) => void;

interface Waiter {
  resolve: (ok: boolean) => void;
  at: number;
}

export class Flusher {
  private dirty = new Set<PartitionLog>();
  private waiting: Waiter[] = [];
  private running = false;

  constructor(
    private readonly log: (msg: string) => void,
    private readonly timings?: FlushTimings,
  ) {}

  /** Resolves true once everything appended to `p` so far is on disk (false if the sync failed). */
  request(p: PartitionLog): Promise<boolean> {
    this.dirty.add(p);
    const done = new Promise<boolean>((resolve) => this.waiting.push({ resolve, at: performance.now() }));
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.run());
    }
    return done;
  }

  private async run(): Promise<void> {
    while (this.dirty.size > 0) {
      const parts = [...this.dirty];
      const waiting = this.waiting;
      this.dirty = new Set();
      this.waiting = [];
      const start = performance.now();
      if (this.timings) for (const w of waiting) this.timings('flushWait', start - w.at);
      let ok = true;
      await Promise.all(
        parts.map(async (p) => {
          if (p.closed) return;
          try {
            p.markDurable(await p.sync());
          } catch (err) {
            if (p.closed) return;
            ok = false;
            this.log(`fsync of ${p.topic}-${p.partition} failed: ${(err as Error).message}`);
          }
        }),
      );
      this.timings?.('fsync', performance.now() - start);
      for (const w of waiting) w.resolve(ok);
    }
    this.running = false;
  }
}
