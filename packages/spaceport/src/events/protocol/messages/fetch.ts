/** Fetch v4-11 (FetchRequest/Response.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface FetchPartitionRequest {
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}
export interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: Array<{ name: string; partitions: FetchPartitionRequest[] }>;
}

export function decodeFetchRequest(r: Reader, version: number): FetchRequest {
  r.int32(); // replica_id
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  const isolationLevel = r.int8();
  let sessionId = 0;
  let sessionEpoch = -1;
  if (version >= 7) {
    sessionId = r.int32();
    sessionEpoch = r.int32();
  }
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => {
      const partition = r.int32();
      if (version >= 9) r.int32(); // current_leader_epoch
      const fetchOffset = r.int64();
      if (version >= 5) r.int64(); // log_start_offset (a follower's)
      return { partition, fetchOffset, partitionMaxBytes: r.int32() };
    }),
  }));
  if (version >= 7) r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })); // forgotten_topics_data
  if (version >= 11) r.string(); // rack_id
  return { maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics };
}

export interface FetchPartitionResponse {
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer[];
}
export interface FetchResponse {
  errorCode: number;
  sessionId: number;
  topics: Array<{ name: string; partitions: FetchPartitionResponse[] }>;
}

export function encodeFetchResponse(res: FetchResponse, version: number): Writer {
  const w = new Writer(512);
  w.int32(0); // throttle_time_ms
  if (version >= 7) w.int16(res.errorCode).int32(res.sessionId);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark);
      w.int64(p.highWatermark); // last_stable_offset: no transactions, so the high watermark
      if (version >= 5) w.int64(p.logStartOffset);
      w.int32(0); // aborted_transactions: empty
      if (version >= 11) w.int32(-1); // preferred_read_replica: none
      w.bytesChunks(p.records);
    });
  });
  return w;
}
