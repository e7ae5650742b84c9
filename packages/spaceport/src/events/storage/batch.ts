/**
 * The record batch v2 header (Kafka's DefaultRecordBatch), read in place. The broker touches exactly one field,
 * baseOffset, which is outside the CRC; everything else is stored and served as the producer sent it.
 *
 *   0 baseOffset int64 | 8 batchLength int32 | 12 partitionLeaderEpoch int32 | 16 magic int8 | 17 crc uint32
 *  21 attributes int16 | 23 lastOffsetDelta int32 | 27 baseTimestamp int64 | 35 maxTimestamp int64
 *  43 producerId int64 | 51 producerEpoch int16 | 53 baseSequence int32 | 57 recordCount int32 | 61 records
 */
import { crc32c } from './crc32c.js';

export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: batchLength counts the bytes after these 12. */
export const LOG_OVERHEAD = 12;

export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}
export function writeInt64(buf: Buffer, at: number, v: number): void {
  buf.writeInt32BE(Math.floor(v / 4294967296), at);
  buf.writeUInt32BE(v >>> 0, at + 4);
}

/** Total size of the batch starting at `at` (header included), or -1 if not enough bytes to tell. */
export function batchSizeAt(buf: Buffer, at: number, end = buf.length): number {
  if (at + LOG_OVERHEAD > end) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(at + 8);
}

export interface BatchCheck {
  /** Number of batches and the offsets they take. */
  batches: number;
  offsets: number;
  maxTimestamp: number;
}

/** Why produce data is refused; the protocol layer maps the kind to Kafka's error code. */
export interface BatchRefusal {
  kind: 'corrupt' | 'too-large' | 'unsupported-format';
  reason: string;
}

const refuse = (kind: BatchRefusal['kind'], reason: string): BatchRefusal => ({ kind, reason });

/** Validates the concatenated batches of one partition's produce data: sizes, magic 2, CRC-32C. */
export function checkBatches(buf: Buffer, maxBatchBytes: number): BatchCheck | BatchRefusal {
  let at = 0;
  let batches = 0;
  let offsets = 0;
  let maxTimestamp = -1;
  if (buf.length === 0) return refuse('corrupt', 'empty record set');
  while (at < buf.length) {
    if (buf.length - at < BATCH_HEADER_SIZE) return refuse('corrupt', `trailing ${buf.length - at} bytes are shorter than a batch header`);
    const size = batchSizeAt(buf, at);
    if (size < BATCH_HEADER_SIZE || at + size > buf.length) return refuse('corrupt', `batch length ${size} does not match the data`);
    if (size > maxBatchBytes) return refuse('too-large', `batch of ${size} bytes exceeds the limit of ${maxBatchBytes}`);
    const magic = buf.readInt8(at + 16);
    if (magic !== 2) return refuse('unsupported-format', `record batch magic ${magic} is not supported (only v2 batches)`);
    const crc = buf.readUInt32BE(at + 17);
    if (crc32c(buf, at + 21, at + size) !== crc) return refuse('corrupt', 'CRC-32C mismatch');
    const lastOffsetDelta = buf.readInt32BE(at + 23);
    if (lastOffsetDelta < 0) return refuse('corrupt', `negative lastOffsetDelta ${lastOffsetDelta}`);
    offsets += lastOffsetDelta + 1;
    maxTimestamp = Math.max(maxTimestamp, readInt64(buf, at + 35));
    batches++;
    at += size;
  }
  return { batches, offsets, maxTimestamp };
}

/** Rewrites baseOffset of each batch so they take consecutive offsets from `first`; returns the next offset. */
export function assignOffsets(buf: Buffer, first: number): number {
  let at = 0;
  let next = first;
  while (at < buf.length) {
    writeInt64(buf, at, next);
    next += buf.readInt32BE(at + 23) + 1;
    at += batchSizeAt(buf, at);
  }
  return next;
}
