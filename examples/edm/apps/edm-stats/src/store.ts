/**
 * Stores one batch with exactly-once effect: in one transaction it locks the partition's offset row, skips what that
 * row says was already counted, adds the new counts and moves the offset. A second consumer of the same partition
 * (a zombie after a rebalance) waits on the row lock and then sees the moved offset, so it adds nothing.
 */
import type pg from 'pg';
import { aggregate, parseKey, type Aggregate, type InMessage } from './aggregate.js';

export interface StoredBatch extends Aggregate {
  /** The offset the database had before this batch. */
  previousOffset: bigint;
  /** Set when the batch started past the stored offset and `onGap` asked to abort: nothing was stored. */
  gap?: { from: bigint; to: bigint };
}

/**
 * Called when the first new message is past the stored offset (messages in between were never counted here).
 * Return true to abort the batch (and seek back), false to accept the gap (the messages are gone, e.g. by retention).
 */
export type GapPolicy = (storedNext: bigint, firstOffset: bigint) => boolean;

/** Stored next offsets of the given partitions (absent: never consumed). */
export async function storedOffsets(pool: pg.Pool, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
  const r = await pool.query<{ part: number; next_offset: string }>(
    'SELECT part, next_offset FROM edm_offsets WHERE topic = $1 AND part = ANY($2::int[])',
    [topic, partitions],
  );
  return new Map(r.rows.map((row) => [row.part, BigInt(row.next_offset)]));
}

/** Applies one batch of a partition; returns what it counted and skipped. */
export async function applyBatch(
  pool: pg.Pool,
  topic: string,
  partition: number,
  messages: readonly InMessage[],
  onGap: GapPolicy = () => false,
): Promise<StoredBatch> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO edm_offsets (topic, part, next_offset) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', [topic, partition]);
    const locked = await client.query<{ next_offset: string }>(
      'SELECT next_offset FROM edm_offsets WHERE topic = $1 AND part = $2 FOR UPDATE',
      [topic, partition],
    );
    const previousOffset = BigInt(locked.rows[0]!.next_offset);
    const firstNew = messages.find((m) => BigInt(m.offset) >= previousOffset);
    if (firstNew && BigInt(firstNew.offset) > previousOffset && onGap(previousOffset, BigInt(firstNew.offset))) {
      await client.query('ROLLBACK');
      const empty = aggregate([], previousOffset);
      return { ...empty, previousOffset, gap: { from: previousOffset, to: BigInt(firstNew.offset) } };
    }
    const agg = aggregate(messages, previousOffset);
    if (agg.counts.size > 0) {
      // Sorted so concurrent transactions take row locks in one order (no deadlock).
      const keys = [...agg.counts.keys()].sort();
      const rows = keys.map(parseKey);
      await client.query(
        `INSERT INTO edm_counts (product, type, minute, count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])
         ON CONFLICT (product, type, minute) DO UPDATE SET count = edm_counts.count + EXCLUDED.count`,
        [rows.map((r) => r.product), rows.map((r) => r.type), rows.map((r) => new Date(r.minute)), keys.map((k) => agg.counts.get(k)!)],
      );
    }
    if (agg.nextOffset !== previousOffset) {
      await client.query('UPDATE edm_offsets SET next_offset = $3, updated_at = now() WHERE topic = $1 AND part = $2', [
        topic,
        partition,
        agg.nextOffset.toString(),
      ]);
    }
    await client.query('COMMIT');
    return { ...agg, previousOffset };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
