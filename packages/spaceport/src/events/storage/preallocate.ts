/**
 * Preallocation of append-only files: the space ahead of the logical end is written with zeros (real blocks, not
 * holes or unwritten extents), so an append only overwrites allocated blocks and its fdatasync changes neither the
 * file size nor the block map. Such an fdatasync writes data and flushes the disk cache without waiting for an ext4
 * journal commit, which on a shared disk is where the long fsync tail comes from. Only the fdatasync right after an
 * extension carries a size change: one per chunk (up to 1 MiB) instead of one per append.
 *
 * Files so kept end in zeros: their readers take the logical end from the content (the first all-zero batch
 * header, the first NUL of a text log), never from the file size.
 */
import { readSync, writeSync } from 'node:fs';

/** The first extension; each one after is as large as the file so far, up to MAX_CHUNK. */
export const MIN_CHUNK = 64 * 1024;
export const MAX_CHUNK = 1024 * 1024;
const ZEROS = Buffer.alloc(MAX_CHUNK);

/**
 * Called after each append ending at `end`: when less than half a minimum chunk is left, zero-fills from the
 * allocated end (or `end`, if the append went past it) to one chunk beyond `end`. Returns the allocated size.
 */
export function extendAllocation(fd: number, allocated: number, end: number): number {
  if (allocated - end >= MIN_CHUNK / 2) return allocated;
  const chunk = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, allocated));
  const target = end + chunk;
  for (let at = Math.max(allocated, end); at < target; ) at += writeSync(fd, ZEROS, 0, Math.min(ZEROS.length, target - at), at);
  return target;
}

/** Position just after the last non-zero byte in [from, to), or `from` when the range is all zeros. */
export function endOfNonZero(fd: number, from: number, to: number): number {
  const buf = Buffer.allocUnsafe(Math.min(MAX_CHUNK, Math.max(0, to - from)));
  let last = from;
  for (let at = from; at < to; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
    if (n <= 0) break;
    for (let i = n - 1; i >= 0; i--) {
      if (buf[i] !== 0) {
        last = at + i + 1;
        break;
      }
    }
    at += n;
  }
  return last;
}
