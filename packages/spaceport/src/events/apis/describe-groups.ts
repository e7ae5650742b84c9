/** DescribeGroups v0-2: state, protocol and members (metadata and assignment bytes as the clients sent them). */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeDescribeGroupsRequest, encodeDescribeGroupsResponse, type DescribedGroup } from '../protocol/messages/describe-groups.js';
import type { Broker } from '../broker.js';
import type { ApiModule } from './api.js';

/** A group as DescribeGroups shows it; an unknown group is "Dead" with no error, as Kafka answers. */
export function describeGroup(broker: Broker, id: string): DescribedGroup {
  const g = broker.groups.group(id);
  if (!g) return { errorCode: ErrorCode.NONE, groupId: id, state: 'Dead', protocolType: '', protocol: '', members: [] };
  return {
    errorCode: ErrorCode.NONE,
    groupId: id,
    state: g.state,
    protocolType: g.protocolType,
    protocol: g.protocol,
    members: [...g.members.values()].map((m) => ({
      memberId: m.id,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: m.protocols.find((p) => p.name === g.protocol)?.metadata ?? Buffer.alloc(0),
      assignment: m.assignment,
    })),
  };
}

export const describeGroups: ApiModule = {
  key: ApiKey.DescribeGroups,
  handle(broker, req, body) {
    const r = decodeDescribeGroupsRequest(body);
    return encodeDescribeGroupsResponse(r.groups.map((id) => describeGroup(broker, id)), req.apiVersion);
  },
};
