/** DeleteGroups v0-1 (DeleteGroupsRequest/Response.json; v1 only moves throttling after the response). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export function decodeDeleteGroupsRequest(r: Reader): { groups: string[] } {
  return { groups: r.array((r) => r.string()) };
}

export function encodeDeleteGroupsResponse(results: Array<{ groupId: string; errorCode: number }>): Writer {
  const w = new Writer();
  w.int32(0); // throttle_time_ms
  w.array(results, (w, g) => w.string(g.groupId).int16(g.errorCode));
  return w;
}
