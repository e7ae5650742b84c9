/**
 * DescribeAcls, CreateAcls, DeleteAcls v0-1: the broker has no authentication and no authorizer (it listens on
 * 127.0.0.1 only), so, as a Kafka broker without `authorizer.class.name`, each is answered SECURITY_DISABLED
 * ("No Authorizer is configured on the broker"). kafkajs's admin got "does not support the requested API
 * version" instead, which reads as a client/broker mismatch.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeCreateAclsRequest,
  decodeDeleteAclsRequest,
  decodeDescribeAclsRequest,
  encodeCreateAclsResponse,
  encodeDeleteAclsResponse,
  encodeDescribeAclsResponse,
} from '../protocol/messages/acls.js';
import type { ApiModule } from './api.js';

const NO_AUTHORIZER = 'No Authorizer is configured on the broker: this broker has no authentication or ACLs (it listens on 127.0.0.1 only)';

export const describeAcls: ApiModule = {
  key: ApiKey.DescribeAcls,
  handle(_broker, req, body) {
    decodeDescribeAclsRequest(body, req.apiVersion);
    return encodeDescribeAclsResponse(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER);
  },
};

export const createAcls: ApiModule = {
  key: ApiKey.CreateAcls,
  handle(_broker, req, body) {
    return encodeCreateAclsResponse(decodeCreateAclsRequest(body, req.apiVersion), ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER);
  },
};

export const deleteAcls: ApiModule = {
  key: ApiKey.DeleteAcls,
  handle(_broker, req, body) {
    return encodeDeleteAclsResponse(decodeDeleteAclsRequest(body, req.apiVersion), ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER);
  },
};
