/**
 * Decodes stored record batches into records, for `topics:tail` only (the produce/fetch path never does).
 * Uncompressed and gzip batches are decoded; snappy, lz4 and zstd batches are shown as one summary line.
 */
import { gunzipSync } from 'node:zlib';
import { batchSizeAt, readInt64 } from '../storage/batch.js';

export interface TailRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
}

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

class Cursor {
  constructor(
    private readonly buf: Buffer,
    public at: number,
  ) {}
  varlong(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.at >= this.buf.length) throw new Error('truncated record');
      const b = this.buf[this.at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
    return Number((result >> 1n) ^ -(result & 1n));
  }
  bytes(): Buffer | null {
    const n = this.varlong();
    if (n < 0) return null;
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

/** Decodes every batch in `data` (whole batches, as served by a fetch); records below `from` are skipped. */
export function decodeBatches(data: Buffer, partition: number, from: number): TailRecord[] {
  const out: TailRecord[] = [];
  let at = 0;
  while (at + 61 <= data.length) {
    const size = batchSizeAt(data, at);
    const base = readInt64(data, at);
    const attributes = data.readInt16BE(at + 21);
    const baseTimestamp = readInt64(data, at + 27);
    const count = data.readInt32BE(at + 57);
    const codec = attributes & 7;
    let body = data.subarray(at + 61, at + size);
    const control = (attributes & 0x20) !== 0;
    at += size;
    if (control) continue;
    if (codec === 1) body = gunzipSync(body);
    else if (codec !== 0) {
      if (base + count - 1 >= from) out.push({ partition, offset: base, timestamp: baseTimestamp, key: null, value: `<${count} record(s) compressed with ${CODECS[codec] ?? codec}>` });
      continue;
    }
    const c = new Cursor(body, 0);
    for (let i = 0; i < count; i++) {
      c.varlong(); // length
      c.at += 1; // attributes
      const tsDelta = c.varlong();
      const offsetDelta = c.varlong();
      const key = c.bytes();
      const value = c.bytes();
      const nh = c.varlong();
      const headers: Record<string, string> = {};
      for (let h = 0; h < nh; h++) {
        const k = c.bytes();
        const v = c.bytes();
        headers[k?.toString('utf8') ?? ''] = v?.toString('utf8') ?? '';
      }
      const offset = base + offsetDelta;
      if (offset < from) continue;
      out.push({
        partition,
        offset,
        timestamp: baseTimestamp + tsDelta,
        key: key?.toString('utf8') ?? null,
        value: value?.toString('utf8') ?? null,
        ...(nh > 0 ? { headers } : {}),
      });
    }
  }
  return out;
}
