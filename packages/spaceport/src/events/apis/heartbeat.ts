/** Heartbeat v0-3: keeps a member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeHeartbeatRequest, encodeHeartbeatResponse } from '../protocol/messages/heartbeat.js';
import type { ApiModule } from './api.js';

export const heartbeat: ApiModule = {
  key: ApiKey.Heartbeat,
  handle(broker, req, body) {
    const r = decodeHeartbeatRequest(body, req.apiVersion);
    return encodeHeartbeatResponse(broker.groups.heartbeat(r.groupId, r.memberId, r.generationId), req.apiVersion);
  },
};
