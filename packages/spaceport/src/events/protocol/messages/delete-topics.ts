/** DeleteTopics v0-3 (DeleteTopicsRequest/Response.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface DeleteTopicsRequest {
  names: string[];
  timeoutMs: number;
}

export function decodeDeleteTopicsRequest(r: Reader): DeleteTopicsRequest {
  return { names: r.array((r) => r.string()), timeoutMs: r.int32() };
}

export interface DeleteTopicsResponse {
  topics: Array<{ name: string; errorCode: number }>;
}

export function encodeDeleteTopicsResponse(res: DeleteTopicsResponse, version: number): Writer {
  const w = new Writer();
  if (version >= 1) w.int32(0);
  w.array(res.topics, (w, t) => w.string(t.name).int16(t.errorCode));
  return w;
}
