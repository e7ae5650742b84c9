/** OffsetCommit v2-5 (OffsetCommitRequest/Response.json; retention_time_ms exists in v2-4 only). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: Array<{ name: string; partitions: Array<{ partition: number; offset: number; metadata: string | null }> }>;
}

export function decodeOffsetCommitRequest(r: Reader, version: number): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (version <= 4) r.int64(); // retention_time_ms
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partition: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
  }));
  return { groupId, generationId, memberId, topics };
}

export interface OffsetCommitResponse {
  topics: Array<{ name: string; partitions: Array<{ partition: number; errorCode: number }> }>;
}

export function encodeOffsetCommitResponse(res: OffsetCommitResponse, version: number): Writer {
  const w = new Writer();
  if (version >= 3) w.int32(0);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode));
  });
  return w;
}
