/** ListGroups v0-2: every group the coordinator knows, and groups that only have committed offsets. */
import { ApiKey } from '../protocol/api-keys.js';
import { encodeListGroupsResponse } from '../protocol/messages/describe-groups.js';
import type { Broker } from '../broker.js';
import type { ApiModule } from './api.js';

export function groupIds(broker: Broker): string[] {
  return [...new Set([...broker.groups.groups.keys(), ...broker.offsets.groups()])].sort();
}

export const listGroups: ApiModule = {
  key: ApiKey.ListGroups,
  handle(broker, req) {
    const groups = groupIds(broker).map((id) => ({ groupId: id, protocolType: broker.groups.group(id)?.protocolType || 'consumer' }));
    return encodeListGroupsResponse(groups, req.apiVersion);
  },
};
