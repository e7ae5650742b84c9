/** Produce v0-8 (ProduceRequest/Response.json). Record sets stay views into the request buffer. */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface ProducePartitionData {
  partition: number;
  records: Buffer | null;
}
export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: Array<{ name: string; partitions: ProducePartitionData[] }>;
}

export function decodeProduceRequest(r: Reader, version: number): ProduceRequest {
  const transactionalId = version >= 3 ? r.nullableString() : null;
  const acks = r.int16();
  const timeoutMs = r.int32();
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partition: r.int32(), records: r.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

export interface ProducePartitionResponse {
  partition: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
  errorMessage?: string | null;
}
export interface ProduceResponse {
  topics: Array<{ name: string; partitions: ProducePartitionResponse[] }>;
}

export function encodeProduceResponse(res: ProduceResponse, version: number): Writer {
  const w = new Writer();
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int16(p.errorCode).int64(p.baseOffset);
      if (version >= 2) w.int64(-1); // log_append_time_ms: -1 as we keep CreateTime
      if (version >= 5) w.int64(p.logStartOffset);
      if (version >= 8) {
        w.int32(0); // record_errors: none per record
        w.nullableString(p.errorMessage ?? null);
      }
    });
  });
  if (version >= 1) w.int32(0); // throttle_time_ms
  return w;
}
