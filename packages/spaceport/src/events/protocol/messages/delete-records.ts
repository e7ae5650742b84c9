/** DeleteRecords v0-1 (DeleteRecordsRequest/Response.json; v1 only moves throttling after the response). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface DeleteRecordsRequest {
  /** `offset`: delete everything below it; -1 means the high watermark. */
  topics: Array<{ name: string; partitions: Array<{ partition: number; offset: number }> }>;
  timeoutMs: number;
}

export function decodeDeleteRecordsRequest(r: Reader): DeleteRecordsRequest {
  const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64() })) }));
  return { topics, timeoutMs: r.int32() };
}

export type DeleteRecordsResult = Array<{ name: string; partitions: Array<{ partition: number; lowWatermark: number; errorCode: number }> }>;

export function encodeDeleteRecordsResponse(topics: DeleteRecordsResult): Writer {
  const w = new Writer();
  w.int32(0); // throttle_time_ms
  w.array(topics, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partition).int64(p.lowWatermark).int16(p.errorCode)));
  return w;
}
