/**
 * DeleteGroups v0-1: forgets an empty group and its committed offsets. NON_EMPTY_GROUP while it has members
 * (stop its consumers first), GROUP_ID_NOT_FOUND for a group the broker does not know.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeDeleteGroupsRequest, encodeDeleteGroupsResponse } from '../protocol/messages/delete-groups.js';
import type { ApiModule } from './api.js';

export const deleteGroups: ApiModule = {
  key: ApiKey.DeleteGroups,
  handle(broker, req, body) {
    const r = decodeDeleteGroupsRequest(body);
    const results = r.groups.map((groupId) => {
      const errorCode = broker.deleteGroup(groupId);
      if (errorCode === 0) broker.log(`deleted group ${groupId} for ${req.clientId}`);
      return { groupId, errorCode };
    });
    return encodeDeleteGroupsResponse(results);
  },
};
