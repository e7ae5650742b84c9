/**
 * Event-loop delay and GC pauses of this process since the last call, for the periodic `runtime:` log line: on a
 * shared 2-core machine they tell whether a slow hop was this process's own work or waiting for a CPU.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Starts sampling; each call of the returned function describes the interval since the previous call. */
export function runtimeStats(): () => string {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let gcMs = 0;
  let gcMax = 0;
  let gcCount = 0;
  let majorMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcMax = Math.max(gcMax, e.duration);
      gcCount++;
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorMs += e.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  return () => {
    const line = `loop delay p50 ${ms(loop.percentile(50))} p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms; gc ${gcCount} pauses, ${gcMs.toFixed(1)} ms, max ${gcMax.toFixed(1)} ms, mark-compact ${majorMs.toFixed(1)} ms`;
    loop.reset();
    gcMs = gcMax = gcCount = majorMs = 0;
    return line;
  };
}
