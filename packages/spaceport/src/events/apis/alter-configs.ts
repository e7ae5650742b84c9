/**
 * AlterConfigs v0-1 and IncrementalAlterConfigs v0: topic retention.ms, retention.bytes and cleanup.policy
 * (configs/topic-configs.ts), applied at once and kept in the topic's topic.json. The broker's own configs are
 * read-only (set in spaceport.yaml). A changed topic declared in spaceport.yaml shows as drift in `spaceport plan`
 * until `apply` sets the file's values again (or `adopt` writes the live ones into the file).
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeAlterConfigsRequest, decodeIncrementalAlterConfigsRequest, encodeAlterConfigsResponse, type AlterConfigsRequest, type AlterConfigsResult } from '../protocol/messages/alter-configs.js';
import type { Reader } from '../protocol/reader.js';
import { alteredSettings } from '../configs/topic-configs.js';
import type { Broker } from '../broker.js';
import type { ApiModule, RequestContext } from './api.js';
import { ResourceType } from './describe-configs.js';

function alter(broker: Broker, req: RequestContext, r: AlterConfigsRequest, incremental: boolean): AlterConfigsResult[] {
  const seen = new Set<string>();
  return r.resources.map((res) => {
    const result = (errorCode: number, errorMessage: string | null): AlterConfigsResult => ({ errorCode, errorMessage, resourceType: res.resourceType, resourceName: res.resourceName });
    const key = `${res.resourceType}:${res.resourceName}`;
    if (seen.has(key)) return result(ErrorCode.INVALID_REQUEST, `resource ${res.resourceName} is given more than once`);
    seen.add(key);
    if (res.resourceType === ResourceType.BROKER) {
      return result(ErrorCode.INVALID_CONFIG, 'the broker\'s configs are read-only here: they come from spaceport.yaml (addons.<name>) and take effect at the next `spaceport up`');
    }
    if (res.resourceType !== ResourceType.TOPIC) return result(ErrorCode.INVALID_REQUEST, `resource type ${res.resourceType} is not supported: use 2 (topic)`);
    const topic = broker.store.topics.get(res.resourceName);
    if (!topic) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${res.resourceName} does not exist`);
    const out = alteredSettings(broker, topic, res.configs, incremental);
    if ('error' in out) return result(ErrorCode.INVALID_CONFIG, out.error);
    if (r.validateOnly) return result(ErrorCode.NONE, null);
    broker.store.reconfigure(topic.name, out.settings);
    const s = out.settings;
    broker.log(`topic ${topic.name} configs changed by ${req.clientId}: retention.ms=${s.retentionMs ?? -1} retention.bytes=${s.retentionBytes ?? -1}`);
    return result(ErrorCode.NONE, null);
  });
}

export const alterConfigs: ApiModule = {
  key: ApiKey.AlterConfigs,
  handle(broker, req, body: Reader) {
    return encodeAlterConfigsResponse(alter(broker, req, decodeAlterConfigsRequest(body), false));
  },
};

export const incrementalAlterConfigs: ApiModule = {
  key: ApiKey.IncrementalAlterConfigs,
  handle(broker, req, body: Reader) {
    return encodeAlterConfigsResponse(alter(broker, req, decodeIncrementalAlterConfigsRequest(body), true));
  },
};
