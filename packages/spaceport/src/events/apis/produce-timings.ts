/**
 * Where a produce's time goes inside the broker, summarised in one log line per interval (only when there were
 * produces): appending (decode, CRC-32C, write to the page cache), waiting for the group-commit round to start,
 * the round's fdatasync, and the whole request; plus the event loop's delay, the broker's wait for a CPU before it
 * even reads a request; then the consumer's side: a long-polling fetch from the moment new data woke it to its
 * encoded response, an OffsetCommit from decode to encoded response, and the garbage collector's pauses.
 * Recording is a histogram insert per step: cheap enough to stay on.
 */
import { constants } from 'node:perf_hooks';
import { createHistogram, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** The event-loop sampling timer (ms): its own period is subtracted from the delays it reports. */
const LOOP_RESOLUTION_MS = 5;

export type ProduceStep = 'append' | 'flushWait' | 'fsync' | 'total' | 'fetch' | 'commit';

export class ProduceTimings {
  private readonly steps: Record<ProduceStep, RecordableHistogram> = {
    append: createHistogram(),
    flushWait: createHistogram(),
    fsync: createHistogram(),
    total: createHistogram(),
    fetch: createHistogram(),
    commit: createHistogram(),
  };
  private readonly gc = createHistogram();
  private majorGcs = 0;
  private loop: IntervalHistogram | undefined;
  private gcObserver: PerformanceObserver | undefined;

  /** Records one step's duration in milliseconds. */
  record(step: ProduceStep, ms: number): void {
    this.steps[step].record(Math.max(1, Math.round(ms * 1000)));
    if (!this.loop) {
      this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      this.loop.enable();
      this.gcObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          this.gc.record(Math.max(1, Math.round(e.duration * 1000)));
          if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.majorGcs++;
        }
      });
      this.gcObserver.observe({ entryTypes: ['gc'] });
    }
  }

  /** One line for the interval just ended, or undefined when no produce was answered; starts a new interval. */
  summary(intervalMs: number): string | undefined {
    const { append, flushWait, fsync, total, fetch, commit } = this.steps;
    const requests = total.count;
    let line: string | undefined;
    if (requests > 0) {
      const us = (h: RecordableHistogram) => `${ms(pct(h, 50) / 1000)} / ${ms(pct(h, 99) / 1000)} ms`;
      const lag = (p: number) => ms(Math.max(0, (this.loop?.percentile(p) ?? 0) / 1e6 - LOOP_RESOLUTION_MS));
      line =
        `produce timings, last ${Math.round(intervalMs / 1000)} s, ${requests} requests, p50 / p99: append ${us(append)}, ` +
        `wait for the flush ${us(flushWait)}, fsync ${us(fsync)} (${fsync.count} rounds), whole request ${us(total)}; ` +
        `event-loop delay ${lag(50)} / ${lag(99)} ms; fetch woken by data to response ${us(fetch)} (${fetch.count}), ` +
        `offset commit ${us(commit)} (${commit.count}); gc ${this.gc.count} pauses (${this.majorGcs} major), p99 ${ms(pct(this.gc, 99) / 1000)} ms, max ${ms(this.gc.count ? this.gc.max / 1000 : 0)} ms`;
    }
    this.gc.reset();
    this.majorGcs = 0;
    for (const h of Object.values(this.steps)) h.reset();
    this.loop?.reset();
    return line;
  }

  close(): void {
    this.loop?.disable();
    this.gcObserver?.disconnect();
  }
}

/** A percentile in the histogram's unit, 0 when it is empty (node's empty histograms report huge values). */
function pct(h: RecordableHistogram, p: number): number {
  return h.count > 0 ? h.percentile(p) : 0;
}

function ms(v: number): string {
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}
