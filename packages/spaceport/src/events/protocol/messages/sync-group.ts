/** SyncGroup v0-3 (SyncGroupRequest/Response.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export function decodeSyncGroupRequest(r: Reader, version: number): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export interface SyncGroupResponse {
  errorCode: number;
  assignment: Buffer;
}

export function encodeSyncGroupResponse(res: SyncGroupResponse, version: number): Writer {
  const w = new Writer();
  if (version >= 1) w.int32(0);
  return w.int16(res.errorCode).bytes(res.assignment);
}
