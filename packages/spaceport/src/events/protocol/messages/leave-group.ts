/** LeaveGroup v0-2 (LeaveGroupRequest/Response.json; batched members only from v3). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
}

export function decodeLeaveGroupRequest(r: Reader): LeaveGroupRequest {
  return { groupId: r.string(), memberId: r.string() };
}

export function encodeLeaveGroupResponse(errorCode: number, version: number): Writer {
  const w = new Writer(16);
  if (version >= 1) w.int32(0);
  return w.int16(errorCode);
}
