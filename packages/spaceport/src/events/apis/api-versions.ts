/** ApiVersions v0-3: advertises exactly the ranges in protocol/api-keys.ts. */
import { ApiKey, supportedVersions } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeApiVersionsRequest, encodeApiVersionsResponse } from '../protocol/messages/api-versions.js';
import type { Writer } from '../protocol/writer.js';
import type { ApiModule } from './api.js';

const apiKeys = [...supportedVersions].map(([apiKey, v]) => ({ apiKey, min: v.min, max: v.max })).sort((a, b) => a.apiKey - b.apiKey);

/**
 * The answer to an ApiVersions request of a version we do not support: error 35 in the v0 layout, with our
 * ranges, so the client can retry with a version we have (KIP-511 behaviour of Kafka brokers).
 */
export function unsupportedApiVersionsResponse(): Writer {
  return encodeApiVersionsResponse({ errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys }, 0);
}

export const apiVersions: ApiModule = {
  key: ApiKey.ApiVersions,
  handle(_broker, req, body) {
    decodeApiVersionsRequest(body, req.apiVersion);
    return encodeApiVersionsResponse({ errorCode: ErrorCode.NONE, apiKeys }, req.apiVersion);
  },
};
