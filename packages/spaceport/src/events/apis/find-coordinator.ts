/** FindCoordinator v0-2: this node coordinates every group; transactions (key type 1) are not supported. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeFindCoordinatorRequest, encodeFindCoordinatorResponse } from '../protocol/messages/find-coordinator.js';
import type { ApiModule } from './api.js';

export const findCoordinator: ApiModule = {
  key: ApiKey.FindCoordinator,
  handle(broker, req, body) {
    const r = decodeFindCoordinatorRequest(body, req.apiVersion);
    const { nodeId, host, port } = broker.config;
    if (r.keyType !== 0) {
      return encodeFindCoordinatorResponse({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'transactions are not supported', nodeId: -1, host: '', port: -1 }, req.apiVersion);
    }
    return encodeFindCoordinatorResponse({ errorCode: ErrorCode.NONE, errorMessage: null, nodeId, host, port }, req.apiVersion);
  },
};
