/** CreateTopics v0-4. A single node: replication factor must be 1 (or -1, the broker default). */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeCreateTopicsRequest, encodeCreateTopicsResponse, type CreateTopicsResponse } from '../protocol/messages/create-topics.js';
import { invalidTopicName } from '../storage/log-store.js';
import { KAFKA_TOPIC_CONFIGS } from '../configs/kafka-topic-config-names.js';
import type { ApiModule } from './api.js';

export const createTopics: ApiModule = {
  key: ApiKey.CreateTopics,
  handle(broker, req, body) {
    const r = decodeCreateTopicsRequest(body, req.apiVersion);
    const topics: CreateTopicsResponse['topics'] = r.topics.map((t) => {
      const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
      const bad = invalidTopicName(t.name);
      if (bad) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, bad);
      if (broker.store.topics.has(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${t.name} already exists`);
      const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? broker.config.defaultPartitions : t.numPartitions;
      if (partitions < 1 || partitions > 1000) return fail(ErrorCode.INVALID_PARTITIONS, `partitions must be 1-1000, got ${partitions}`);
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `this is a single-node broker: replication factor must be 1, got ${t.replicationFactor}`);
      }
      let retentionMs = broker.config.defaultRetentionMs;
      let retentionBytes: number | undefined;
      for (const c of t.configs) {
        // A typo (retention.msec) used to be accepted and ignored: the topic then kept its records for the default 7 days.
        if (!KAFKA_TOPIC_CONFIGS.has(c.name)) return fail(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${c.name}`);
        if (c.value === null) continue;
        if (c.name === 'retention.ms' || c.name === 'retention.bytes') {
          // Kafka's LONG, -1 for unlimited. Number('soon') is NaN, which used to create the topic with no
          // retention at all ("forever"), and '' or '1e3' passed as numbers.
          if (!/^-?\d+$/.test(c.value.trim())) return fail(ErrorCode.INVALID_CONFIG, `Invalid value ${c.value} for configuration ${c.name}: Not a number of type LONG`);
          const n = Number(c.value);
          if (n < -1) return fail(ErrorCode.INVALID_CONFIG, `Invalid value ${c.value} for configuration ${c.name}: Value must be at least -1`);
          if (c.name === 'retention.ms') retentionMs = n < 0 ? undefined : n;
          else retentionBytes = n < 0 ? undefined : n;
        } else if (c.name === 'cleanup.policy' && c.value.includes('compact')) {
          // Accepting it would delete the topic's records by retention, where compaction keeps each key's last one.
          return fail(ErrorCode.INVALID_CONFIG, `cleanup.policy=${c.value} is not supported by this broker: records are deleted by retention.ms and retention.bytes only (leave cleanup.policy out, or use delete)`);
        }
      }
      if (r.validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      try {
        broker.store.create(t.name, { partitions, retentionMs, retentionBytes });
      } catch (err) {
        broker.log(`creating topic ${t.name} failed: ${(err as Error).message}`);
        return fail(ErrorCode.UNKNOWN_SERVER_ERROR, `creating the topic failed: ${(err as Error).message}`);
      }
      broker.log(`created topic ${t.name} with ${partitions} partition(s) for ${req.clientId}`);
      return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
    });
    return encodeCreateTopicsResponse({ topics }, req.apiVersion);
  },
};
