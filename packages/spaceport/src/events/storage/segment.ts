/**
 * One segment: `<baseOffset>.log` (record batches back to back, as produced) and `<baseOffset>.index`
 * (sparse: an 8-byte entry — offset relative to the segment, file position — every INDEX_INTERVAL bytes).
 * Writes are synchronous appends to the page cache; durability is the Flusher's job (fdatasync, grouped).
 * The active segment's log file is preallocated with zeros ahead of its end (preallocate.ts), so the file is
 * longer than its data: the logical end is the first all-zero batch header; sealing truncates the zeros away.
 */
import { closeSync, fdatasync, fdatasyncSync, ftruncateSync, openSync, read, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, readInt64 } from './batch.js';
import { crc32c } from './crc32c.js';
import { endOfNonZero, extendAllocation } from './preallocate.js';

export const INDEX_INTERVAL = 4096;

/**
 * The last bytes appended to the active segment are also kept in memory, so a consumer at the tail (the usual
 * live case) is served without a threadpool read: one thread hand-off less between a batch becoming durable and
 * the fetch response, which on a busy machine is a scheduling delay each way. Small, because every partition
 * written since start holds one (1,000 partitions: 64 MiB); batches over half of it are not kept.
 */
export const RECENT_BYTES = 64 * 1024;

export function segmentName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export interface RecoveryReport {
  truncatedBytes: number;
  reason?: string;
}

export class Segment {
  /** Bytes of batches in the log file (its logical end). */
  size = 0;
  /** Bytes in the log file: `size` plus the zero-filled space ahead of it. */
  private allocated = 0;
  /** Offset after the last batch. */
  nextOffset: number;
  mtimeMs = Date.now();
  /** When the segment got its first batch (file birth time where the filesystem keeps it). */
  createdMs = Date.now();
  private indexOffsets: number[] = [];
  private indexPositions: number[] = [];
  private lastIndexed = -INDEX_INTERVAL;
  private inFlight = 0;
  private closing = false;
  /** File bytes [recentStart, size) are also in `recent` (a copy, so it never pins request buffers). */
  private recent: Buffer | undefined;
  private recentStart = 0;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    readonly fd: number,
    private readonly indexFd: number,
  ) {
    this.nextOffset = baseOffset;
  }

  get logPath(): string {
    return join(this.dir, `${segmentName(this.baseOffset)}.log`);
  }
  get indexPath(): string {
    return join(this.dir, `${segmentName(this.baseOffset)}.index`);
  }

  static create(dir: string, baseOffset: number): Segment {
    const name = segmentName(baseOffset);
    const fd = openSync(join(dir, `${name}.log`), 'w+');
    const indexFd = openSync(join(dir, `${name}.index`), 'w+');
    return new Segment(dir, baseOffset, fd, indexFd);
  }

  /**
   * Opens an existing segment and rebuilds its index by walking the batch headers. With `verify` (the last
   * segment, the only one a crash can tear) every batch's CRC is checked too, and the file is truncated at the
   * first batch that is incomplete, corrupt or out of sequence.
   */
  static open(dir: string, baseOffset: number, verify: boolean, nextBase?: number): { segment: Segment; report: RecoveryReport } {
    const name = segmentName(baseOffset);
    if (!verify && nextBase !== undefined) {
      const sealed = Segment.openSealed(dir, baseOffset, nextBase);
      if (sealed) return { segment: sealed, report: { truncatedBytes: 0 } };
    }
    const fd = openSync(join(dir, `${name}.log`), 'r+');
    const indexFd = openSync(join(dir, `${name}.index`), 'w+');
    const seg = new Segment(dir, baseOffset, fd, indexFd);
    const st = statSync(seg.logPath);
    seg.mtimeMs = st.mtimeMs;
    seg.createdMs = st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs;
    const fileSize = st.size;
    const chunk = new ChunkReader(fd, fileSize);
    let pos = 0;
    let reason: string | undefined;
    while (pos < fileSize) {
      const head = chunk.view(pos, BATCH_HEADER_SIZE);
      if (!head) {
        reason = 'incomplete batch header';
        break;
      }
      const batchBase = readInt64(head.buf, head.at);
      const size = LOG_OVERHEAD + head.buf.readInt32BE(head.at + 8);
      if (size < BATCH_HEADER_SIZE || pos + size > fileSize) {
        reason = 'incomplete batch';
        break;
      }
      if (batchBase !== seg.nextOffset) {
        reason = `batch offset ${batchBase} where ${seg.nextOffset} was expected`;
        break;
      }
      const lastOffsetDelta = head.buf.readInt32BE(head.at + 23);
      if (verify) {
        const whole = chunk.view(pos, size)!;
        if (whole.buf.readInt8(whole.at + 16) !== 2 || crc32c(whole.buf, whole.at + 21, whole.at + size) !== whole.buf.readUInt32BE(whole.at + 17)) {
          reason = 'CRC-32C mismatch';
          break;
        }
      }
      seg.indexBatch(seg.nextOffset, pos);
      seg.nextOffset += lastOffsetDelta + 1;
      pos += size;
    }
    seg.size = pos;
    seg.recentStart = pos;
    seg.allocated = fileSize;
    // Zeros after the last batch are preallocated space, not damage. Anything else there is a torn or corrupt
    // tail that was never acknowledged: cut it off, so no stale byte can follow later appends.
    const end = pos < fileSize ? endOfNonZero(fd, pos, fileSize) : pos;
    if (end === pos) return { segment: seg, report: { truncatedBytes: 0 } };
    ftruncateSync(fd, pos);
    fdatasyncSync(fd);
    seg.allocated = pos;
    return { segment: seg, report: { truncatedBytes: end - pos, reason } };
  }

  /** A sealed (not last) segment trusts its index file: no scan, so start-up stays fast on large logs. */
  private static openSealed(dir: string, baseOffset: number, nextBase: number): Segment | undefined {
    const name = segmentName(baseOffset);
    let index: Buffer;
    try {
      index = readFileSync(join(dir, `${name}.index`));
    } catch {
      return undefined;
    }
    if (index.length % 8 !== 0) return undefined;
    const fd = openSync(join(dir, `${name}.log`), 'r+');
    const seg = new Segment(dir, baseOffset, fd, openSync(join(dir, `${name}.index`), 'r+'));
    const st = statSync(seg.logPath);
    for (let at = 0; at < index.length; at += 8) {
      const pos = index.readInt32BE(at + 4);
      if (pos >= st.size) break;
      seg.indexOffsets.push(baseOffset + index.readInt32BE(at));
      seg.indexPositions.push(pos);
    }
    seg.size = st.size;
    seg.recentStart = st.size;
    seg.mtimeMs = st.mtimeMs;
    seg.nextOffset = nextBase;
    return seg;
  }

  private indexBatch(offset: number, position: number): void {
    if (position - this.lastIndexed < INDEX_INTERVAL) return;
    this.lastIndexed = position;
    this.indexOffsets.push(offset);
    this.indexPositions.push(position);
    const entry = Buffer.allocUnsafe(8);
    entry.writeInt32BE(offset - this.baseOffset, 0);
    entry.writeInt32BE(position, 4);
    writeSync(this.indexFd, entry, 0, 8, (this.indexOffsets.length - 1) * 8);
  }

  /** Appends batches whose offsets were already assigned (first..next-1). */
  append(data: Buffer, first: number, next: number): void {
    if (this.size === 0) this.createdMs = Date.now();
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written, data.length - written, this.size + written);
    this.indexBatch(first, this.size);
    this.remember(data);
    this.size += data.length;
    this.allocated = extendAllocation(this.fd, this.allocated, this.size);
    this.nextOffset = next;
    this.mtimeMs = Date.now();
  }

  /** Makes the segment read-only on disk: the zero tail cut off, everything fsynced (blocking: once per roll). */
  seal(): void {
    ftruncateSync(this.fd, this.size);
    fdatasyncSync(this.fd);
    this.allocated = this.size;
    this.recent = undefined;
    this.recentStart = this.size;
  }

  /** Copies an append (about to land at `size`) into the in-memory tail, sliding it by half when full. */
  private remember(data: Buffer): void {
    if (data.length > RECENT_BYTES / 2) {
      this.recentStart = this.size + data.length;
      return;
    }
    this.recent ??= Buffer.allocUnsafe(RECENT_BYTES);
    let held = this.size - this.recentStart;
    if (held + data.length > RECENT_BYTES) {
      const keep = Math.min(held, RECENT_BYTES / 2);
      this.recent.copyWithin(0, held - keep, held);
      this.recentStart = this.size - keep;
      held = keep;
    }
    data.copy(this.recent, held);
  }

  /** File position to start scanning from for `offset`: the last index entry at or before it. */
  lookup(offset: number): number {
    let lo = 0;
    let hi = this.indexOffsets.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.indexOffsets[mid]! <= offset) {
        found = this.indexPositions[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  read(position: number, length: number): Promise<Buffer> {
    if (this.closing) return Promise.reject(new Error('segment deleted'));
    const buf = Buffer.allocUnsafe(length);
    if (this.recent && position >= this.recentStart && position + length <= this.size) {
      // A copy: the response may sit in a socket's queue while the window slides.
      this.recent.copy(buf, 0, position - this.recentStart, position - this.recentStart + length);
      return Promise.resolve(buf);
    }
    this.inFlight++;
    return new Promise((resolve, reject) =>
      read(this.fd, buf, 0, length, position, (err, n) => {
        this.settle();
        if (err) reject(err);
        else resolve(n === length ? buf : buf.subarray(0, n));
      }),
    );
  }

  sync(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.inFlight++;
    return new Promise((resolve, reject) =>
      fdatasync(this.fd, (err) => {
        this.settle();
        if (err) reject(err);
        else resolve();
      }),
    );
  }

  private settle(): void {
    this.inFlight--;
    if (this.closing && this.inFlight === 0) this.closeNow();
  }

  /**
   * Closes the files once no read or sync is in flight: closing an fd under a threadpool read could let the
   * number be reused by another file, and the read would return that file's bytes.
   */
  close(): void {
    this.closing = true;
    if (this.inFlight === 0) this.closeNow();
  }

  private closeNow(): void {
    for (const fd of [this.fd, this.indexFd]) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
  }
}

/** Sequential reads of a file through a 1 MiB window, for recovery scans. */
class ChunkReader {
  private buf = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
  ) {}
  view(pos: number, len: number): { buf: Buffer; at: number } | undefined {
    if (pos + len > this.fileSize) return undefined;
    if (pos < this.start || pos + len > this.start + this.buf.length) {
      const want = Math.min(Math.max(len, 1 << 20), this.fileSize - pos);
      this.buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const n = readSync(this.fd, this.buf, got, want - got, pos + got);
        if (n === 0) break;
        got += n;
      }
      this.buf = this.buf.subarray(0, got);
      this.start = pos;
      if (got < len) return undefined;
    }
    return { buf: this.buf, at: pos - this.start };
  }
}
