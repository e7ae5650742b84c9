/** Heartbeat v0-3 (HeartbeatRequest/Response.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
}

export function decodeHeartbeatRequest(r: Reader, version: number): HeartbeatRequest {
  const req = { groupId: r.string(), generationId: r.int32(), memberId: r.string() };
  if (version >= 3) r.nullableString(); // group_instance_id
  return req;
}

export function encodeHeartbeatResponse(errorCode: number, version: number): Writer {
  const w = new Writer(16);
  if (version >= 1) w.int32(0);
  return w.int16(errorCode);
}
