/**
 * Pure aggregation of one fetched batch: which messages are new (at or past the stored offset), and what they add to
 * each (product, type, minute) count. Kept free of I/O so the exactly-once rule can be tested on its own.
 */

export interface InMessage {
  /** Offset in its partition, as a decimal string (kafkajs's form). */
  offset: string;
  /** Broker/producer timestamp, epoch ms as a decimal string. */
  timestamp: string;
  value: Buffer | null;
}

export interface CountKey {
  product: string;
  type: 'click' | 'pageload';
  /** Start of the minute, epoch ms. */
  minute: number;
}

export interface Aggregate {
  /** `product\u0000type\u0000minute` → count to add. */
  counts: Map<string, number>;
  /** Offset to resume from once this batch is stored: last message + 1, or the stored offset if nothing is new. */
  nextOffset: bigint;
  counted: number;
  /** Messages before the stored offset: already counted, so skipped (redelivery after a crash or a rebalance). */
  duplicates: number;
  /** Messages that are not events (bad JSON or fields): skipped, but their offsets are consumed. */
  invalid: number;
}

export function keyOf(k: CountKey): string {
  return `${k.product}\u0000${k.type}\u0000${k.minute}`;
}

export function parseKey(key: string): CountKey {
  const [product, type, minute] = key.split('\u0000');
  return { product: product!, type: type as CountKey['type'], minute: Number(minute) };
}

/** Reads the event's type and product; the minute comes from the message timestamp (the relay's clock). */
export function eventKey(m: InMessage): CountKey | undefined {
  if (!m.value) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(m.value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { type, product } = v as Record<string, unknown>;
  if ((type !== 'click' && type !== 'pageload') || typeof product !== 'string' || product.length === 0) return undefined;
  const ts = Number(m.timestamp);
  const when = Number.isFinite(ts) && ts > 0 ? ts : Date.now();
  return { product, type, minute: Math.floor(when / 60_000) * 60_000 };
}

/** Aggregates the messages at or past `storedNext`; messages must be in offset order, as a partition delivers them. */
export function aggregate(messages: readonly InMessage[], storedNext: bigint): Aggregate {
  const out: Aggregate = { counts: new Map(), nextOffset: storedNext, counted: 0, duplicates: 0, invalid: 0 };
  for (const m of messages) {
    const offset = BigInt(m.offset);
    if (offset < out.nextOffset) {
      out.duplicates++;
      continue;
    }
    out.nextOffset = offset + 1n;
    const key = eventKey(m);
    if (!key) {
      out.invalid++;
      continue;
    }
    const k = keyOf(key);
    out.counts.set(k, (out.counts.get(k) ?? 0) + 1);
    out.counted++;
  }
  return out;
}
