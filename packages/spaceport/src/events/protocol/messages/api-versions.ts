/** ApiVersions v0-3 (ApiVersionsRequest/Response.json; v3 is flexible: compact arrays and tagged fields). */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface ApiVersionsRequest {
  clientSoftwareName?: string;
  clientSoftwareVersion?: string;
}

export function decodeApiVersionsRequest(r: Reader, version: number): ApiVersionsRequest {
  if (version < 3) return {};
  const clientSoftwareName = r.compactString();
  const clientSoftwareVersion = r.compactString();
  r.skipTaggedFields();
  return { clientSoftwareName, clientSoftwareVersion };
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: Array<{ apiKey: number; min: number; max: number }>;
}

export function encodeApiVersionsResponse(res: ApiVersionsResponse, version: number): Writer {
  const w = new Writer();
  w.int16(res.errorCode);
  if (version >= 3) {
    w.compactArray(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.min).int16(k.max).noTags());
    w.int32(0); // throttle_time_ms
    w.noTags();
  } else {
    w.array(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.min).int16(k.max));
    if (version >= 1) w.int32(0);
  }
  return w;
}
