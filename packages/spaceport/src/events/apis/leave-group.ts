/** LeaveGroup v0-2: the member leaves at once, the group rebalances without waiting for its session to expire. */
import { ApiKey } from '../protocol/api-keys.js';
import { decodeLeaveGroupRequest, encodeLeaveGroupResponse } from '../protocol/messages/leave-group.js';
import type { ApiModule } from './api.js';

export const leaveGroup: ApiModule = {
  key: ApiKey.LeaveGroup,
  handle(broker, req, body) {
    const r = decodeLeaveGroupRequest(body);
    return encodeLeaveGroupResponse(broker.groups.leave(r.groupId, r.memberId), req.apiVersion);
  },
};
