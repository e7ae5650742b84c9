/**
 * One partition: an ordered list of segments. Offsets are assigned here. Fetches read up to the high watermark,
 * the end of what has been written to the segment file (write() returned: the bytes are in the kernel's page
 * cache), never data that is only in this process: a SIGKILL of the broker cannot take a visible batch away or let
 * its offsets be reused; only an OS crash before the group commit's fsync can (as with Kafka and one replica).
 * Producers with acks=1/-1 are still answered only once their batch is fsynced (durableOffset, the Flusher).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assignOffsets, batchSizeAt, BATCH_HEADER_SIZE, readInt64 } from './batch.js';
import { INDEX_INTERVAL, Segment } from './segment.js';

export interface ReadResult {
  chunks: Buffer[];
  bytes: number;
}

export interface PartitionOptions {
  segmentBytes: number;
  /** Roll the active segment once its first write is older than this, so time retention can delete it. */
  segmentMs?: () => number;
  log: (msg: string) => void;
}

export class PartitionLog {
  private segments: Segment[] = [];
  /** Offset of the next appended record (log end offset). */
  nextOffset = 0;
  /** Everything below is fsynced (what acks=1/-1 answers wait for). */
  durableOffset = 0;
  /**
   * Everything below has been written to the segment file (in the page cache, surviving a broker SIGKILL): what
   * fetches, ListOffsets and the admin views see. Moves only after the write returned.
   */
  highWatermark = 0;
  private waiters = new Set<() => void>();
  closed = false;
  /** The log start set by DeleteRecords, inside the first segment (kept in `log-start`); 0 when never set. */
  private startFloor = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    private readonly opts: PartitionOptions,
  ) {}

  /** Opens the partition's segments, recovering the last one (torn tail truncated). */
  open(): void {
    mkdirSync(this.dir, { recursive: true });
    const bases = readdirSync(this.dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    for (let i = 0; i < bases.length; i++) {
      const last = i === bases.length - 1;
      const { segment, report } = Segment.open(this.dir, bases[i]!, last, bases[i + 1]);
      if (report.truncatedBytes > 0) {
        this.opts.log(`recovered ${this.topic}-${this.partition}: dropped a torn tail of ${report.truncatedBytes} bytes at offset ${segment.nextOffset} (${report.reason})`);
      }
      this.segments.push(segment);
    }
    if (this.segments.length === 0) this.segments.push(Segment.create(this.dir, 0));
    this.nextOffset = this.active.nextOffset;
    this.durableOffset = this.nextOffset;
    this.highWatermark = this.nextOffset;
    const floor = join(this.dir, 'log-start');
    if (existsSync(floor)) this.startFloor = Number(readFileSync(floor, 'utf8')) || 0;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  get logStartOffset(): number {
    // Never past the end: an OS crash may have taken back a tail the floor was set in.
    return Math.max(this.segments[0]!.baseOffset, Math.min(this.startFloor, this.nextOffset));
  }

  /**
   * DeleteRecords: the log start moves to `offset` (at most the high watermark; the caller checks), so readers no
   * longer see anything below it, and sealed segments wholly below it are deleted. The new start is written
   * (fsynced, atomic rename) before this returns, so a restart keeps it. Returns the log start.
   */
  deleteRecordsBefore(offset: number): number {
    if (offset <= this.logStartOffset) return this.logStartOffset;
    const file = join(this.dir, 'log-start');
    writeFileSync(`${file}.tmp`, String(offset));
    const fd = openSync(`${file}.tmp`, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(`${file}.tmp`, file);
    this.startFloor = offset;
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= offset) this.dropOldest();
    return this.logStartOffset;
  }

  private dropOldest(): void {
    const oldest = this.segments.shift()!;
    oldest.close();
    rmSync(oldest.logPath, { force: true });
    rmSync(oldest.indexPath, { force: true });
  }

  /** Bytes on disk across segments. */
  get sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Appends validated batches, patching their baseOffsets; returns the first offset taken. */
  append(data: Buffer): number {
    if (this.closed) throw new Error(`partition ${this.topic}-${this.partition} is deleted`);
    const active = this.active;
    if (active.size > 0 && (active.size + data.length > this.opts.segmentBytes || (this.opts.segmentMs && Date.now() - active.createdMs > this.opts.segmentMs()))) this.roll();
    const first = this.nextOffset;
    const next = assignOffsets(data, first);
    this.active.append(data, first, next);
    this.nextOffset = next;
    this.highWatermark = next;
    this.wake();
    return first;
  }

  private roll(): void {
    // The sealed segment is cut to its data and synced before the next one exists, so only the last segment can
    // ever have a torn tail or a zero tail after a crash, and recovery only has to verify that one. One blocking
    // fsync per segment roll.
    this.active.seal();
    this.segments.push(Segment.create(this.dir, this.nextOffset));
  }

  /** fdatasync of the active segment; returns the offset now durable. */
  async sync(): Promise<number> {
    const target = this.nextOffset;
    await this.active.sync();
    return target;
  }

  markDurable(offset: number): void {
    if (offset > this.durableOffset) this.durableOffset = offset;
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /** Calls `fn` once, the next time the high watermark moves (fetch long-poll). Returns a canceller. */
  onData(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  /**
   * Reads whole batches from `offset` up to the high watermark, at most `maxBytes`, except that the first batch
   * may take up to `firstBatchMax` (Infinity for the first partition of a fetch: KIP-74, a consumer always
   * progresses). Stays within one segment.
   */
  async read(offset: number, maxBytes: number, firstBatchMax: number): Promise<ReadResult> {
    const result: ReadResult = { chunks: [], bytes: 0 };
    if (offset >= this.highWatermark || offset < this.logStartOffset) return result;
    let si = this.segments.length - 1;
    while (si > 0 && this.segments[si]!.baseOffset > offset) si--;
    let seg = this.segments[si]!;
    if (offset >= seg.nextOffset && si + 1 < this.segments.length) seg = this.segments[si + 1]!;
    let pos = seg.lookup(offset);
    const hw = this.highWatermark;
    for (;;) {
      const want = Math.min(seg.size - pos, Math.max(Math.min(maxBytes, 8 << 20) - result.bytes, 0) + INDEX_INTERVAL + BATCH_HEADER_SIZE);
      if (want <= 0) break;
      const buf = await seg.read(pos, want);
      let at = 0;
      let more = true;
      while (at + BATCH_HEADER_SIZE <= buf.length) {
        const base = readInt64(buf, at);
        if (base >= hw) {
          more = false;
          break;
        }
        const size = batchSizeAt(buf, at);
        const last = base + buf.readInt32BE(at + 23);
        if (last < offset) {
          at += size;
          continue;
        }
        const first = result.chunks.length === 0;
        if (result.bytes + size > maxBytes && !(first && size <= firstBatchMax)) {
          more = false;
          break;
        }
        if (at + size > buf.length) {
          if (!first) break; // re-read from this batch with a fresh window
          result.chunks.push(await seg.read(pos + at, size));
        } else result.chunks.push(buf.subarray(at, at + size));
        result.bytes += size;
        at += size;
      }
      if (!more || at === 0) break;
      pos += at;
      if (pos >= seg.size) break;
    }
    return result;
  }

  /** Offset of the first batch whose max timestamp is at or after `ts` (ListOffsets by time), or -1. */
  async offsetForTime(ts: number): Promise<number> {
    for (const seg of this.segments) {
      let pos = 0;
      while (pos < seg.size) {
        const head = await seg.read(pos, BATCH_HEADER_SIZE);
        if (head.length < BATCH_HEADER_SIZE) break;
        const base = readInt64(head, 0);
        if (base >= this.highWatermark) return -1;
        if (readInt64(head, 35) >= ts) return Math.max(base, this.logStartOffset);
        pos += batchSizeAt(head, 0);
      }
    }
    return -1;
  }

  /** Deletes sealed segments past the retention limits; never the active one. */
  enforceRetention(retentionMs: number | undefined, retentionBytes: number | undefined, now = Date.now()): number {
    let removed = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const tooOld = retentionMs !== undefined && now - oldest.mtimeMs > retentionMs;
      const tooBig = retentionBytes !== undefined && this.sizeBytes - oldest.size >= retentionBytes;
      if (!tooOld && !tooBig) break;
      this.dropOldest();
      removed++;
    }
    return removed;
  }

  close(): void {
    this.closed = true;
    for (const s of this.segments) s.close();
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  static pathFor(topicDir: string, partition: number): string {
    return join(topicDir, String(partition));
  }
}
