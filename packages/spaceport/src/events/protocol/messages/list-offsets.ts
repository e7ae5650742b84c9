/** ListOffsets v1-3 (ListOffsetsRequest/Response.json). Timestamp -1 = latest, -2 = earliest. */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface ListOffsetsRequest {
  topics: Array<{ name: string; partitions: Array<{ partition: number; timestamp: number }> }>;
}

export function decodeListOffsetsRequest(r: Reader, version: number): ListOffsetsRequest {
  r.int32(); // replica_id
  if (version >= 2) r.int8(); // isolation_level
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partition: r.int32(), timestamp: r.int64() })),
  }));
  return { topics };
}

export interface ListOffsetsResponse {
  topics: Array<{ name: string; partitions: Array<{ partition: number; errorCode: number; timestamp: number; offset: number }> }>;
}

export function encodeListOffsetsResponse(res: ListOffsetsResponse, version: number): Writer {
  const w = new Writer();
  if (version >= 2) w.int32(0);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
  });
  return w;
}
