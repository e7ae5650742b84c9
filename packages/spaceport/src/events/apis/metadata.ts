/** Metadata v1-6: this broker is the only node, leader of every partition. Unknown topics may be auto-created. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataTopic } from '../protocol/messages/metadata.js';
import { invalidTopicName, type Topic } from '../storage/log-store.js';
import type { ApiModule } from './api.js';

function describe(t: Topic): MetadataTopic {
  return { errorCode: ErrorCode.NONE, name: t.name, partitions: t.partitions.map((_, i) => ({ errorCode: ErrorCode.NONE, partition: i, leader: 0 })) };
}

export const metadata: ApiModule = {
  key: ApiKey.Metadata,
  handle(broker, req, body) {
    const r = decodeMetadataRequest(body, req.apiVersion);
    const { nodeId, host, port, clusterId } = broker.config;
    let topics: MetadataTopic[];
    if (r.topics === null) topics = [...broker.store.topics.values()].map(describe);
    else {
      topics = r.topics.map((name) => {
        if (invalidTopicName(name)) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
        const t = broker.topic(name, r.allowAutoTopicCreation);
        return t ? describe(t) : { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
      });
    }
    for (const t of topics) for (const p of t.partitions) p.leader = nodeId;
    return encodeMetadataResponse({ brokers: [{ nodeId, host, port }], clusterId, controllerId: nodeId, topics }, req.apiVersion);
  },
};
