/**
 * A tiny metrics registry: counters and histograms as flat series maps, so snapshots from several
 * workers can be summed by the parent and rendered in Prometheus' text format.
 */
import type { Metrics } from './plugins/types.js';

/** Series name with labels (`name{a="b"}`) → value. */
export type MetricsSnapshot = Record<string, number>;

export class MetricsRegistry implements Metrics {
  readonly series = new Map<string, number>();
  private readonly help = new Map<string, string>();

  inc(name: string, labels: string, by = 1): void {
    const k = labels ? `${name}{${labels}}` : name;
    this.series.set(k, (this.series.get(k) ?? 0) + by);
  }

  observe(name: string, labels: string, value: number, buckets: readonly number[]): void {
    const sep = labels ? ',' : '';
    for (const b of buckets) if (value <= b) this.inc(`${name}_bucket`, `${labels}${sep}le="${b}"`);
    this.inc(`${name}_bucket`, `${labels}${sep}le="+Inf"`);
    this.inc(`${name}_sum`, labels, value);
    this.inc(`${name}_count`, labels);
  }

  snapshot(): MetricsSnapshot {
    return Object.fromEntries(this.series);
  }
}

/** Sums worker snapshots. */
export function sumSnapshots(list: readonly MetricsSnapshot[]): MetricsSnapshot {
  const out: MetricsSnapshot = {};
  for (const s of list) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Prometheus text exposition, one TYPE line per metric family. */
export function renderPrometheus(s: MetricsSnapshot): string {
  const families = new Map<string, string[]>();
  for (const [k, v] of Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = k.replace(/\{.*$/, '');
    const family = name.replace(/_(bucket|sum|count)$/, '');
    const isHist = name !== family && Object.keys(s).some((x) => x.startsWith(`${family}_bucket`));
    const key = isHist ? family : name;
    const list = families.get(key) ?? [];
    list.push(`${k} ${v}`);
    families.set(key, list);
  }
  const out: string[] = [];
  for (const [family, lines] of families) {
    const hist = lines.some((l) => l.startsWith(`${family}_bucket`));
    out.push(`# TYPE ${family} ${hist ? 'histogram' : family.endsWith('_total') ? 'counter' : 'gauge'}`, ...lines);
  }
  return `${out.join('\n')}\n`;
}
