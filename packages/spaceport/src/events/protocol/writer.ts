/**
 * Builds a response as a list of Buffers: scalars go into a growing scratch buffer, large payloads (fetched
 * record batches) are appended by reference, so the fetch path never copies log data.
 */
export class Writer {
  private chunks: Buffer[] = [];
  private cur: Buffer;
  private pos = 0;
  private total = 0;

  constructor(initial = 256) {
    this.cur = Buffer.allocUnsafe(initial);
  }

  private room(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.seal();
    this.cur = Buffer.allocUnsafe(Math.max(n, 1024));
  }
  private seal(): void {
    if (this.pos > 0) this.chunks.push(this.cur.subarray(0, this.pos));
    this.cur = this.cur.subarray(this.pos);
    this.pos = 0;
  }

  get length(): number {
    return this.total;
  }

  int8(v: number): this {
    this.room(1);
    this.cur.writeInt8(v, this.pos);
    this.pos += 1;
    this.total += 1;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    this.room(2);
    this.cur.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.total += 2;
    return this;
  }
  int32(v: number): this {
    this.room(4);
    this.cur.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.total += 4;
    return this;
  }
  /** A safe integer (offsets, timestamps) as two 32-bit halves: no BigInt to allocate per field. */
  int64(v: number): this {
    this.room(8);
    this.cur.writeInt32BE(Math.floor(v / 4294967296), this.pos);
    this.cur.writeUInt32BE(v >>> 0, this.pos + 4);
    this.pos += 8;
    this.total += 8;
    return this;
  }
  uvarint(v: number): this {
    while (v >= 0x80) {
      this.int8Raw((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    return this.int8Raw(v);
  }
  private int8Raw(b: number): this {
    this.room(1);
    this.cur[this.pos++] = b;
    this.total += 1;
    return this;
  }
  raw(b: Buffer): this {
    if (b.length < 256) {
      this.room(b.length);
      b.copy(this.cur, this.pos);
      this.pos += b.length;
      this.total += b.length;
      return this;
    }
    this.seal();
    this.chunks.push(b);
    this.total += b.length;
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }
  nullableString(s: string | null | undefined): this {
    return s == null ? this.int16(-1) : this.string(s);
  }
  compactString(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }
  bytes(b: Buffer): this {
    return this.int32(b.length).raw(b);
  }
  nullableBytes(b: Buffer | null | undefined): this {
    return b == null ? this.int32(-1) : this.bytes(b);
  }
  /** Bytes given as several chunks (fetched batches), length-prefixed once. */
  bytesChunks(parts: Buffer[]): this {
    let n = 0;
    for (const p of parts) n += p.length;
    this.int32(n);
    for (const p of parts) this.raw(p);
    return this;
  }
  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }
  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }
  /** An empty tagged-field section. */
  noTags(): this {
    return this.uvarint(0);
  }

  /** The finished buffers, in order. */
  finish(): Buffer[] {
    this.seal();
    return this.chunks;
  }
}
