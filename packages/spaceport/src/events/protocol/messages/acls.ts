/**
 * DescribeAcls, CreateAcls and DeleteAcls v0-1 (DescribeAcls*.json, CreateAcls*.json, DeleteAcls*.json; v1 adds
 * the resource pattern type). Decoded in full so a malformed request is refused; answered only with errors (the
 * broker has no authorizer, see apis/acls.ts), so the responses carry no ACLs.
 */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** One ACL binding or filter: resource type, name, (v1) pattern type, principal, host, operation, permission. */
function aclEntry(r: Reader, version: number, nullable: boolean): void {
  r.int8();
  if (nullable) r.nullableString();
  else r.string();
  if (version >= 1) r.int8();
  for (let i = 0; i < 2; i++) {
    if (nullable) r.nullableString();
    else r.string();
  }
  r.int8();
  r.int8();
}

export function decodeDescribeAclsRequest(r: Reader, version: number): void {
  aclEntry(r, version, true);
}

/** The number of creations (CreateAcls) or filters (DeleteAcls): one result each. */
export function decodeCreateAclsRequest(r: Reader, version: number): number {
  return r.array((r) => aclEntry(r, version, false)).length;
}
export function decodeDeleteAclsRequest(r: Reader, version: number): number {
  return r.array((r) => aclEntry(r, version, true)).length;
}

export function encodeDescribeAclsResponse(errorCode: number, errorMessage: string): Writer {
  return new Writer().int32(0).int16(errorCode).nullableString(errorMessage).int32(0); // throttle, error, no resources
}

export function encodeCreateAclsResponse(n: number, errorCode: number, errorMessage: string): Writer {
  const w = new Writer().int32(0);
  return w.array(Array.from({ length: n }), (w) => w.int16(errorCode).nullableString(errorMessage));
}

export function encodeDeleteAclsResponse(n: number, errorCode: number, errorMessage: string): Writer {
  const w = new Writer().int32(0);
  return w.array(Array.from({ length: n }), (w) => w.int16(errorCode).nullableString(errorMessage).int32(0)); // no matching ACLs
}
