/** SyncGroup v0-3: the leader's assignments go to every member. */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeSyncGroupRequest, encodeSyncGroupResponse } from '../protocol/messages/sync-group.js';
import type { ApiModule } from './api.js';

export const syncGroup: ApiModule = {
  key: ApiKey.SyncGroup,
  async handle(broker, req, body) {
    const r = decodeSyncGroupRequest(body, req.apiVersion);
    return encodeSyncGroupResponse(await broker.groups.sync(r), req.apiVersion);
  },
};
