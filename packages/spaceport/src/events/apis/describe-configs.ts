/** DescribeConfigs v0-2: a topic's configs (configs/topic-configs.ts) and the broker's (configs/broker-configs.ts). */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeDescribeConfigsRequest, encodeDescribeConfigsResponse, type ConfigEntry, type DescribedResource } from '../protocol/messages/describe-configs.js';
import { brokerConfigs } from '../configs/broker-configs.js';
import { topicConfigs } from '../configs/topic-configs.js';
import type { Broker } from '../broker.js';
import type { ApiModule } from './api.js';

/** Kafka's ConfigResource.Type. */
export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** The resource's configs, or why it cannot be described (an error code and message). */
export function resourceConfigs(broker: Broker, type: number, name: string): ConfigEntry[] | { errorCode: number; errorMessage: string } {
  if (type === ResourceType.TOPIC) {
    const topic = broker.store.topics.get(name);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic ${name} does not exist` };
    return topicConfigs(broker, topic);
  }
  if (type === ResourceType.BROKER) {
    if (name !== '' && name !== String(broker.config.nodeId)) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unexpected broker id ${name}: this broker is ${broker.config.nodeId}` };
    return brokerConfigs(broker);
  }
  return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${type} is not supported: use 2 (topic) or 4 (broker)` };
}

export const describeConfigs: ApiModule = {
  key: ApiKey.DescribeConfigs,
  handle(broker, req, body) {
    const r = decodeDescribeConfigsRequest(body, req.apiVersion);
    const resources = r.resources.map((res): DescribedResource => {
      const base = { resourceType: res.resourceType, resourceName: res.resourceName };
      const configs = resourceConfigs(broker, res.resourceType, res.resourceName);
      if (!Array.isArray(configs)) return { ...base, ...configs, configs: [] };
      const wanted = res.configNames && res.configNames.length > 0 ? new Set(res.configNames) : undefined;
      const picked = configs.filter((c) => !wanted || wanted.has(c.name)).map((c) => (r.includeSynonyms ? c : { ...c, synonyms: [] }));
      return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs: picked };
    });
    return encodeDescribeConfigsResponse(resources, req.apiVersion);
  },
};
