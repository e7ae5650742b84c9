/** DescribeGroups v0-2 and ListGroups v0-2 (DescribeGroups*.json, ListGroups*.json). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export function decodeDescribeGroupsRequest(r: Reader): { groups: string[] } {
  return { groups: r.array((r) => r.string()) };
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

export function encodeDescribeGroupsResponse(groups: DescribedGroup[], version: number): Writer {
  const w = new Writer();
  if (version >= 1) w.int32(0);
  w.array(groups, (w, g) => {
    w.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
    w.array(g.members, (w, m) => w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
  });
  return w;
}

export function encodeListGroupsResponse(groups: Array<{ groupId: string; protocolType: string }>, version: number): Writer {
  const w = new Writer();
  if (version >= 1) w.int32(0);
  w.int16(0);
  w.array(groups, (w, g) => w.string(g.groupId).string(g.protocolType));
  return w;
}
