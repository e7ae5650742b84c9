/** JoinGroup v0-5 (MEMBER_ID_REQUIRED on a first join from v4, KIP-394). */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeJoinGroupRequest, encodeJoinGroupResponse } from '../protocol/messages/join-group.js';
import type { ApiModule } from './api.js';

export const joinGroup: ApiModule = {
  key: ApiKey.JoinGroup,
  async handle(broker, req, body) {
    const r = decodeJoinGroupRequest(body, req.apiVersion);
    const res = await broker.groups.join(r, req.apiVersion, req.clientId, req.clientHost);
    return encodeJoinGroupResponse(res, req.apiVersion);
  },
};
