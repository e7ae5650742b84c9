/**
 * Every topic config name Kafka knows (TopicConfig.java / LogConfig, Kafka 3.x). A name outside this list is a
 * typo or a broker config, refused with INVALID_CONFIG as Kafka does ("Unknown topic config name"); a name in it
 * that this broker does not implement is accepted by CreateTopics (Kafka clients pass them routinely) and has no
 * effect, and is refused by AlterConfigs, saying so.
 */
export const KAFKA_TOPIC_CONFIGS: ReadonlySet<string> = new Set([
  'cleanup.policy',
  'compression.type',
  'compression.gzip.level',
  'compression.lz4.level',
  'compression.zstd.level',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.storage.enable',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
]);
