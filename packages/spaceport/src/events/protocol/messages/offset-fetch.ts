/** OffsetFetch v1-4 (OffsetFetchRequest/Response.json; null topics = all, from v2). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface OffsetFetchRequest {
  groupId: string;
  topics: Array<{ name: string; partitions: number[] }> | null;
}

export function decodeOffsetFetchRequest(r: Reader): OffsetFetchRequest {
  const groupId = r.string();
  const topics = r.nullableArray((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) }));
  return { groupId, topics };
}

export interface OffsetFetchResponse {
  errorCode: number;
  topics: Array<{ name: string; partitions: Array<{ partition: number; offset: number; metadata: string | null; errorCode: number }> }>;
}

export function encodeOffsetFetchResponse(res: OffsetFetchResponse, version: number): Writer {
  const w = new Writer();
  if (version >= 3) w.int32(0);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partition).int64(p.offset).nullableString(p.metadata).int16(p.errorCode));
  });
  if (version >= 2) w.int16(res.errorCode);
  return w;
}
