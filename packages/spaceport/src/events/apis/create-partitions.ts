/**
 * CreatePartitions v0-1: grows a topic (never shrinks it), as Kafka answers: INVALID_PARTITIONS for a count not
 * above the current one or over 1000, INVALID_REPLICA_ASSIGNMENT for an assignment that is not one list of this
 * broker's id per new partition, UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST for a topic named twice.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeCreatePartitionsRequest, encodeCreatePartitionsResponse, type CreatePartitionsResult } from '../protocol/messages/create-partitions.js';
import type { ApiModule } from './api.js';

export const createPartitions: ApiModule = {
  key: ApiKey.CreatePartitions,
  handle(broker, req, body) {
    const r = decodeCreatePartitionsRequest(body);
    const counts = new Map<string, number>();
    for (const t of r.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = r.topics.map((t): CreatePartitionsResult => {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
      if (counts.get(t.name)! > 1) return fail(ErrorCode.INVALID_REQUEST, `topic ${t.name} is given more than once in the request`);
      const topic = broker.store.topics.get(t.name);
      if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${t.name} does not exist`);
      const have = topic.partitions.length;
      if (t.count < have) return fail(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${have} partitions, which is higher than the requested ${t.count}: partitions can only grow`);
      if (t.count === have) return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${have} partitions.`);
      if (t.count > 1000) return fail(ErrorCode.INVALID_PARTITIONS, `partitions must be at most 1000, got ${t.count}`);
      if (t.assignments !== null) {
        const id = broker.config.nodeId;
        if (t.assignments.length !== t.count - have) {
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Increasing the number of partitions by ${t.count - have} but ${t.assignments.length} assignments provided.`);
        }
        if (t.assignments.some((a) => a.length !== 1 || a[0] !== id)) {
          return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `this is a single-node broker: each new partition's replicas must be [${id}]`);
        }
      }
      if (r.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      broker.growTopic(t.name, t.count, `CreatePartitions from ${req.clientId}`);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return encodeCreatePartitionsResponse(results);
  },
};
