/**
 * Where a produce's time goes inside the broker, summarised in one log line per interval (only when there were
 * produces): appending (decode, CRC-32C, write to the page cache), waiting for the group-commit round to start,
 * the round's fdatasync, and the whole request; plus the event loop's delay, the broker's wait for a CPU before it
 * even reads a request. Recording is a histogram insert per step: cheap enough to stay on.
 */
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** The event-loop sampling timer (ms): its own period is subtracted from the delays it reports. */
const LOOP_RESOLUTION_MS = 5;

export type ProduceStep = 'append' | 'flushWait' | 'fsync' | 'total';

export class ProduceTimings {
  private readonly steps: Record<ProduceStep, RecordableHistogram> = {
    append: createHistogram(),
    flushWait: createHistogram(),
    fsync: createHistogram(),
    total: createHistogram(),
  };
  private loop: IntervalHistogram | undefined;

  /** Records one step's duration in milliseconds. */
  record(step: ProduceStep, ms: number): void {
    this.steps[step].record(Math.max(1, Math.round(ms * 1000)));
    if (!this.loop) {
      this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      this.loop.enable();
    }
  }

  /** One line for the interval just ended, or undefined when no produce was answered; starts a new interval. */
  summary(intervalMs: number): string | undefined {
    const { append, flushWait, fsync, total } = this.steps;
    const requests = total.count;
    let line: string | undefined;
    if (requests > 0) {
      const us = (h: RecordableHistogram) => `${ms(h.percentile(50) / 1000)} / ${ms(h.percentile(99) / 1000)} ms`;
      const lag = (p: number) => ms(Math.max(0, (this.loop?.percentile(p) ?? 0) / 1e6 - LOOP_RESOLUTION_MS));
      line =
        `produce timings, last ${Math.round(intervalMs / 1000)} s, ${requests} requests, p50 / p99: append ${us(append)}, ` +
        `wait for the flush ${us(flushWait)}, fsync ${us(fsync)} (${fsync.count} rounds), whole request ${us(total)}; ` +
        `event-loop delay ${lag(50)} / ${lag(99)} ms`;
    }
    for (const h of Object.values(this.steps)) h.reset();
    this.loop?.reset();
    return line;
  }

  close(): void {
    this.loop?.disable();
  }
}

function ms(v: number): string {
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}
