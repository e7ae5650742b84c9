/**
 * Request header v1/v2 and response header v0/v1.
 * Request header v2 (flexible requests) adds a tagged-field section after client_id; client_id itself stays a
 * classic nullable string in every header version (RequestHeader.json: "flexibleVersions": "none" for ClientId).
 * ApiVersions responses always use response header v0, even v3 (ApiVersionsResponse.json comment), so clients
 * can parse it before they know the broker's versions: no response header here carries tagged fields.
 */
import { Reader } from './reader.js';
import { isFlexible } from './api-keys.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Decodes the header; the reader is left at the start of the request body. */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (isFlexible(apiKey, apiVersion)) r.skipTaggedFields();
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Reads only api key, version and correlation id: enough to answer or log a request whose body is broken. */
export function peekHeader(buf: Buffer): { apiKey: number; apiVersion: number; correlationId: number } | undefined {
  if (buf.length < 8) return undefined;
  return { apiKey: buf.readInt16BE(0), apiVersion: buf.readInt16BE(2), correlationId: buf.readInt32BE(4) };
}
