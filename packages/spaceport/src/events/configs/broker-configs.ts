/**
 * The broker resource's configs (DescribeConfigs with resource type BROKER, name = its node id), under Kafka's
 * names. All read-only: they come from spaceport.yaml and the broker's flags at start, and change by editing the
 * file (AlterConfigs on the broker is refused).
 */
import type { Broker } from '../broker.js';
import { defaultBrokerConfig } from '../broker.js';
import { ConfigSource, type ConfigEntry } from '../protocol/messages/describe-configs.js';
import { brokerSource } from './topic-configs.js';

export function brokerConfigs(broker: Broker): ConfigEntry[] {
  const c = broker.config;
  const d = defaultBrokerConfig;
  const e = (name: string, value: string, source: number): ConfigEntry => ({ name, value, readOnly: true, source, sensitive: false, synonyms: [{ name, value, source }] });
  const listener = `PLAINTEXT://${c.host}:${c.port}`;
  return [
    e('advertised.listeners', listener, ConfigSource.STATIC_BROKER_CONFIG),
    e('auto.create.topics.enable', String(c.autoCreateTopics), brokerSource(c.autoCreateTopics, d.autoCreateTopics)),
    e('broker.id', String(c.nodeId), brokerSource(c.nodeId, d.nodeId)),
    e('group.initial.rebalance.delay.ms', String(c.initialRebalanceDelayMs), brokerSource(c.initialRebalanceDelayMs, d.initialRebalanceDelayMs)),
    e('group.max.session.timeout.ms', String(broker.groupLimits.maxSessionTimeoutMs), ConfigSource.DEFAULT_CONFIG),
    e('group.min.session.timeout.ms', String(broker.groupLimits.minSessionTimeoutMs), ConfigSource.DEFAULT_CONFIG),
    e('listeners', listener, ConfigSource.STATIC_BROKER_CONFIG),
    e('log.cleanup.policy', 'delete', ConfigSource.DEFAULT_CONFIG),
    e('log.dirs', c.dataDir, ConfigSource.STATIC_BROKER_CONFIG),
    e('log.retention.bytes', '-1', ConfigSource.DEFAULT_CONFIG),
    e('log.retention.ms', String(c.defaultRetentionMs ?? -1), brokerSource(c.defaultRetentionMs, d.defaultRetentionMs)),
    e('log.segment.bytes', String(c.segmentBytes), brokerSource(c.segmentBytes, d.segmentBytes)),
    e('message.max.bytes', String(c.maxBatchBytes), brokerSource(c.maxBatchBytes, d.maxBatchBytes)),
    e('num.partitions', String(c.defaultPartitions), brokerSource(c.defaultPartitions, d.defaultPartitions)),
  ];
}
