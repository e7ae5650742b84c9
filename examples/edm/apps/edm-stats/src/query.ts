/** The read side: GET /api/stats. Totals and products over all time, minutes over the last hour (zeros filled in). */
import type pg from 'pg';

export interface Counts {
  click: number;
  pageload: number;
}
export interface Stats {
  totals: Counts;
  products: (Counts & { product: string })[];
  minutes: (Counts & { minute: string })[];
  /** Sum of the stored offsets: how many messages the stats have consumed (counted or skipped as invalid). */
  consumed: number;
}

export const TOP_PRODUCTS = 50;

export async function readStats(pool: pg.Pool, now = Date.now()): Promise<Stats> {
  const thisMinute = Math.floor(now / 60_000) * 60_000;
  const from = thisMinute - 59 * 60_000;
  const [totals, products, minutes, offsets] = await Promise.all([
    pool.query<{ type: string; n: string }>('SELECT type, sum(count)::bigint AS n FROM edm_counts GROUP BY type'),
    pool.query<{ product: string; click: string; pageload: string }>(
      `SELECT product,
              coalesce(sum(count) FILTER (WHERE type = 'click'), 0)::bigint AS click,
              coalesce(sum(count) FILTER (WHERE type = 'pageload'), 0)::bigint AS pageload
         FROM edm_counts GROUP BY product ORDER BY sum(count) DESC, product LIMIT ${TOP_PRODUCTS}`,
    ),
    pool.query<{ ms: string; click: string; pageload: string }>(
      `SELECT (extract(epoch FROM minute) * 1000)::bigint AS ms,
              coalesce(sum(count) FILTER (WHERE type = 'click'), 0)::bigint AS click,
              coalesce(sum(count) FILTER (WHERE type = 'pageload'), 0)::bigint AS pageload
         FROM edm_counts WHERE minute >= $1 GROUP BY minute`,
      [new Date(from)],
    ),
    pool.query<{ n: string | null }>('SELECT sum(next_offset)::bigint AS n FROM edm_offsets'),
  ]);
  const t: Counts = { click: 0, pageload: 0 };
  for (const row of totals.rows) if (row.type === 'click' || row.type === 'pageload') t[row.type] = Number(row.n);
  const byMinute = new Map(minutes.rows.map((r) => [Number(r.ms), r]));
  const mins: Stats['minutes'] = [];
  for (let m = from; m <= thisMinute; m += 60_000) {
    const r = byMinute.get(m);
    mins.push({ minute: new Date(m).toISOString(), click: r ? Number(r.click) : 0, pageload: r ? Number(r.pageload) : 0 });
  }
  return {
    totals: t,
    products: products.rows.map((r) => ({ product: r.product, click: Number(r.click), pageload: Number(r.pageload) })),
    minutes: mins,
    consumed: Number(offsets.rows[0]?.n ?? 0),
  };
}
