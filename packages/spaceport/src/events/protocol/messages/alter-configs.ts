/**
 * AlterConfigs v0-1 and IncrementalAlterConfigs v0 (AlterConfigsRequest/Response.json,
 * IncrementalAlterConfigsRequest/Response.json; none of these versions is flexible). The two responses share
 * one layout. AlterConfigs has no operation per config: it replaces the resource's whole set of dynamic configs.
 */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

/** IncrementalAlterConfigs' config_operation. AlterConfigs entries are all SET. */
export const ConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface AlterableConfig {
  name: string;
  op: number;
  value: string | null;
}

export interface AlterConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configs: AlterableConfig[] }>;
  validateOnly: boolean;
}

export function decodeAlterConfigsRequest(r: Reader): AlterConfigsRequest {
  const resources = r.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configs: r.array((r) => ({ name: r.string(), op: ConfigOp.SET as number, value: r.nullableString() })),
  }));
  return { resources, validateOnly: r.bool() };
}

export function decodeIncrementalAlterConfigsRequest(r: Reader): AlterConfigsRequest {
  const resources = r.array((r) => ({
    resourceType: r.int8(),
    resourceName: r.string(),
    configs: r.array((r) => ({ name: r.string(), op: r.int8(), value: r.nullableString() })),
  }));
  return { resources, validateOnly: r.bool() };
}

export interface AlterConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export function encodeAlterConfigsResponse(results: AlterConfigsResult[]): Writer {
  const w = new Writer();
  w.int32(0); // throttle_time_ms
  w.array(results, (w, res) => w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName));
  return w;
}
