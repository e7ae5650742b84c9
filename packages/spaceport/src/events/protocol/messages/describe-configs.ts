/**
 * DescribeConfigs v0-2 (DescribeConfigsRequest/Response.json). v1 adds include_synonyms to the request and, in the
 * response, config_source in place of is_default plus the synonyms list; v2 is v1 with throttling after the
 * response (KIP-219). An empty or null config_names lists every config, as Kafka does (kafkajs sends []).
 */
import type { Reader } from '../reader.js';
import { Writer } from '../writer.js';

export interface DescribeConfigsRequest {
  resources: Array<{ resourceType: number; resourceName: string; configNames: string[] | null }>;
  includeSynonyms: boolean;
}

export function decodeDescribeConfigsRequest(r: Reader, version: number): DescribeConfigsRequest {
  const resources = r.array((r) => ({ resourceType: r.int8(), resourceName: r.string(), configNames: r.nullableArray((r) => r.string()) }));
  const includeSynonyms = version >= 1 ? r.bool() : false;
  return { resources, includeSynonyms };
}

/** Kafka's ConfigSource (DescribeConfigsResponse.json). */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  sensitive: boolean;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

export interface DescribedResource {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: ConfigEntry[];
}

export function encodeDescribeConfigsResponse(resources: DescribedResource[], version: number): Writer {
  const w = new Writer();
  w.int32(0); // throttle_time_ms
  w.array(resources, (w, res) => {
    w.int16(res.errorCode).nullableString(res.errorMessage).int8(res.resourceType).string(res.resourceName);
    w.array(res.configs, (w, c) => {
      w.string(c.name).nullableString(c.value).bool(c.readOnly);
      if (version === 0) w.bool(c.source === ConfigSource.DEFAULT_CONFIG);
      else w.int8(c.source);
      w.bool(c.sensitive);
      if (version >= 1) w.array(c.synonyms, (w, s) => w.string(s.name).nullableString(s.value).int8(s.source));
    });
  });
  return w;
}
