/** CreatePartitions v0-1 (CreatePartitionsRequest/Response.json; v1 only moves throttling after the response). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface CreatePartitionsRequest {
  /** `assignments`: one list of broker ids per new partition, or null to let the broker place them. */
  topics: Array<{ name: string; count: number; assignments: number[][] | null }>;
  timeoutMs: number;
  validateOnly: boolean;
}

export function decodeCreatePartitionsRequest(r: Reader): CreatePartitionsRequest {
  const topics = r.array((r) => ({ name: r.string(), count: r.int32(), assignments: r.nullableArray((r) => r.array((r) => r.int32())) }));
  return { topics, timeoutMs: r.int32(), validateOnly: r.bool() };
}

export interface CreatePartitionsResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export function encodeCreatePartitionsResponse(results: CreatePartitionsResult[]): Writer {
  const w = new Writer();
  w.int32(0); // throttle_time_ms
  w.array(results, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage));
  return w;
}
