/**
 * A topic's configs as DescribeConfigs shows them and AlterConfigs changes them. Only what the broker really does
 * is listed, with the value it uses: retention.ms and retention.bytes are the topic's own (alterable),
 * cleanup.policy is `delete` (alterable, but only to `delete`: compaction is not implemented, and retention would
 * delete what it keeps), the rest are fixed by the broker (read-only).
 * Source: TOPIC_CONFIG when the topic's value differs from the broker's default (topic.json keeps values, not
 * whether they were set explicitly: a topic set to exactly the default shows as DEFAULT_CONFIG).
 */
import type { Broker } from '../broker.js';
import { defaultBrokerConfig } from '../broker.js';
import type { TopicSettings, Topic } from '../storage/log-store.js';
import { ConfigOp, type AlterableConfig } from '../protocol/messages/alter-configs.js';
import { ConfigSource, type ConfigEntry } from '../protocol/messages/describe-configs.js';
import { KAFKA_TOPIC_CONFIGS } from './kafka-topic-config-names.js';

const WEEK_MS = 7 * 86_400_000;

/** A broker-wide value: DEFAULT_CONFIG when it is the built-in default, else STATIC_BROKER_CONFIG (set at start). */
export function brokerSource(value: unknown, builtIn: unknown): number {
  return value === builtIn ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
}

function entry(name: string, value: string, readOnly: boolean, source: number, synonyms: ConfigEntry['synonyms'] = []): ConfigEntry {
  return { name, value, readOnly, source, sensitive: false, synonyms };
}

const long = (v: number | undefined) => String(v ?? -1);

export function topicConfigs(broker: Broker, topic: Topic): ConfigEntry[] {
  const c = broker.config;
  const s = topic.settings;
  // A topic config with its broker-level synonym (Kafka lists the topic's own value first, then the broker's).
  const withBroker = (name: string, value: string, readOnly: boolean, brokerName: string, brokerValue: string, own: boolean, brokerSrc: number): ConfigEntry => {
    const synonyms = [...(own ? [{ name, value, source: ConfigSource.TOPIC_CONFIG }] : []), { name: brokerName, value: brokerValue, source: brokerSrc }];
    return entry(name, value, readOnly, own ? ConfigSource.TOPIC_CONFIG : brokerSrc, synonyms);
  };
  const retentionSrc = brokerSource(c.defaultRetentionMs, defaultBrokerConfig.defaultRetentionMs);
  const fixed = (name: string, value: string, brokerName: string, src: number = ConfigSource.DEFAULT_CONFIG) => withBroker(name, value, true, brokerName, value, false, src);
  return [
    withBroker('cleanup.policy', 'delete', false, 'log.cleanup.policy', 'delete', false, ConfigSource.DEFAULT_CONFIG),
    fixed('compression.type', 'producer', 'compression.type'),
    fixed('max.message.bytes', String(c.maxBatchBytes), 'message.max.bytes', brokerSource(c.maxBatchBytes, defaultBrokerConfig.maxBatchBytes)),
    fixed('message.timestamp.type', 'CreateTime', 'log.message.timestamp.type'),
    fixed('min.insync.replicas', '1', 'min.insync.replicas'),
    withBroker('retention.bytes', long(s.retentionBytes), false, 'log.retention.bytes', '-1', s.retentionBytes !== undefined, ConfigSource.DEFAULT_CONFIG),
    withBroker('retention.ms', long(s.retentionMs), false, 'log.retention.ms', long(c.defaultRetentionMs), s.retentionMs !== c.defaultRetentionMs, retentionSrc),
    fixed('segment.bytes', String(c.segmentBytes), 'log.segment.bytes', brokerSource(c.segmentBytes, defaultBrokerConfig.segmentBytes)),
    // Segments roll at least weekly, or at the retention time when shorter (storage/log-store.ts).
    fixed('segment.ms', String(Math.min(s.retentionMs ?? WEEK_MS, WEEK_MS)), 'log.roll.ms'),
  ];
}

/** Why a topic config may not be set to a value, or undefined. */
function badValue(name: string, value: string | null): string | undefined {
  if (name === 'retention.ms' || name === 'retention.bytes') {
    if (value === null || !/^-?\d+$/.test(value.trim())) return `Invalid value ${value} for configuration ${name}: Not a number of type LONG`;
    if (Number(value) < -1) return `Invalid value ${value} for configuration ${name}: Value must be at least -1`;
    return undefined;
  }
  if (name === 'cleanup.policy') {
    const policies = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    if (policies.length === 0 || policies.some((p) => p !== 'delete')) {
      return `cleanup.policy=${value} is not supported by this broker: records are deleted by retention.ms and retention.bytes only (use delete)`;
    }
  }
  return undefined;
}

/**
 * The settings a topic has after a config change, or an error (INVALID_CONFIG) saying what is wrong.
 * `incremental` (IncrementalAlterConfigs): the changes apply to the current values. Otherwise (AlterConfigs)
 * they are the topic's whole set of configs: one left out returns to the broker's default, as in Kafka.
 */
export function alteredSettings(broker: Broker, topic: Topic, changes: AlterableConfig[], incremental: boolean): { settings: TopicSettings } | { error: string } {
  const known = new Map(topicConfigs(broker, topic).map((e) => [e.name, e]));
  const defaults: TopicSettings = { partitions: topic.partitions.length, retentionMs: broker.config.defaultRetentionMs, retentionBytes: undefined };
  const next: TopicSettings = incremental ? { ...topic.settings, partitions: topic.partitions.length } : defaults;
  const seen = new Set<string>();
  for (const ch of changes) {
    const e = known.get(ch.name);
    if (!e) {
      if (KAFKA_TOPIC_CONFIGS.has(ch.name)) return { error: `${ch.name} is not implemented by this broker; the alterable topic configs are retention.ms, retention.bytes and cleanup.policy=delete` };
      return { error: `Unknown topic config name: ${ch.name} (this broker has ${[...known.keys()].join(', ')})` };
    }
    if (seen.has(ch.name)) return { error: `Config ${ch.name} is given more than once` };
    seen.add(ch.name);
    if (e.readOnly) {
      // Setting a fixed config to the value it has anyway changes nothing: accepted, as tools resend whole sets.
      if (ch.op === ConfigOp.SET && ch.value === e.value) continue;
      if (ch.op === ConfigOp.DELETE) continue;
      return { error: `${ch.name} cannot be changed on this broker (it is ${e.value}); the alterable topic configs are retention.ms, retention.bytes and cleanup.policy=delete` };
    }
    let value = ch.value;
    if (ch.op === ConfigOp.DELETE) value = null;
    else if (ch.op === ConfigOp.APPEND || ch.op === ConfigOp.SUBTRACT) {
      if (ch.name !== 'cleanup.policy') return { error: `Config value ${ch.op === ConfigOp.APPEND ? 'append' : 'subtract'} is not allowed for config key: ${ch.name} (it is not a list)` };
      const current = new Set(e.value!.split(','));
      for (const v of (ch.value ?? '').split(',').filter(Boolean)) ch.op === ConfigOp.APPEND ? current.add(v) : current.delete(v);
      value = [...current].join(',');
    } else if (ch.op !== ConfigOp.SET) return { error: `Unknown config operation ${ch.op} for ${ch.name} (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT)` };
    if (value === null) {
      // Back to the default.
      if (ch.name === 'retention.ms') next.retentionMs = defaults.retentionMs;
      if (ch.name === 'retention.bytes') next.retentionBytes = undefined;
      continue;
    }
    const bad = badValue(ch.name, value);
    if (bad) return { error: bad };
    const n = Number(value);
    if (ch.name === 'retention.ms') next.retentionMs = n < 0 ? undefined : n;
    if (ch.name === 'retention.bytes') next.retentionBytes = n < 0 ? undefined : n;
  }
  return { settings: next };
}
