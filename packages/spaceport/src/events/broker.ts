/**
 * The broker's state behind the wire protocol: topics (LogStore), the group coordinator and committed offsets.
 * API modules receive it; it holds no sockets.
 */
import { join } from 'node:path';
import { GroupCoordinator } from './groups/coordinator.js';
import { OffsetStore } from './groups/offset-store.js';
import { LogStore, type Topic, type TopicSettings } from './storage/log-store.js';
import { ProduceTimings } from './apis/produce-timings.js';

export interface BrokerConfig {
  dataDir: string;
  nodeId: number;
  /** Advertised in Metadata and FindCoordinator. */
  host: string;
  port: number;
  clusterId: string;
  autoCreateTopics: boolean;
  /** Partitions of an auto-created topic. */
  defaultPartitions: number;
  defaultRetentionMs?: number;
  /** Topics from spaceport.yaml: created on start, settings applied. */
  topics: Record<string, TopicSettings>;
  /** Largest record batch accepted (Kafka: message.max.bytes). */
  maxBatchBytes: number;
  segmentBytes: number;
  initialRebalanceDelayMs: number;
}

/** What the broker process takes in SPACEPORT_EVENTS_CONFIG (JSON): everything not given by flags. */
export interface BrokerEnvConfig extends Partial<Omit<BrokerConfig, 'dataDir' | 'port' | 'clusterId'>> {
  retentionCheckMs?: number;
  /** How often the produce timings line is logged (when there were produces); 0: never. Default 10 s. */
  produceTimingsMs?: number;
  maxFrameBytes?: number;
}

export const defaultBrokerConfig = {
  nodeId: 0,
  host: '127.0.0.1',
  autoCreateTopics: true,
  defaultPartitions: 1,
  defaultRetentionMs: 7 * 86_400_000,
  topics: {},
  maxBatchBytes: 16 * 1024 * 1024,
  segmentBytes: 64 * 1024 * 1024,
  initialRebalanceDelayMs: 200,
} satisfies Partial<BrokerConfig>;

export class Broker {
  readonly store: LogStore;
  readonly groups: GroupCoordinator;
  readonly offsets: OffsetStore;
  /** Where produce time goes inside the broker; main.ts logs a summary every 10 s. */
  readonly produceTimings = new ProduceTimings();
  /** The session timeouts JoinGroup accepts (Kafka: group.min/max.session.timeout.ms). */
  readonly groupLimits = { minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 30 * 60_000 };

  constructor(
    readonly config: BrokerConfig,
    readonly log: (msg: string) => void,
  ) {
    this.store = new LogStore({ dataDir: config.dataDir, segmentBytes: config.segmentBytes, log, flushTimings: (step, ms) => this.produceTimings.record(step, ms) });
    this.groups = new GroupCoordinator({
      dir: join(config.dataDir, 'groups'),
      initialRebalanceDelayMs: config.initialRebalanceDelayMs,
      ...this.groupLimits,
      log,
    });
    this.offsets = new OffsetStore(join(config.dataDir, 'groups'));
  }

  open(): void {
    this.store.open();
    for (const [name, settings] of Object.entries(this.config.topics)) {
      this.store.reconfigure(name, { retentionMs: this.config.defaultRetentionMs, ...settings });
    }
    this.groups.open();
    this.offsets.open(this.log);
  }

  /** The topic, auto-creating it when allowed. */
  topic(name: string, allowCreate: boolean): Topic | undefined {
    const t = this.store.topics.get(name);
    if (t || !allowCreate || !this.config.autoCreateTopics) return t;
    try {
      const created = this.store.create(name, { partitions: this.config.defaultPartitions, retentionMs: this.config.defaultRetentionMs });
      this.log(`auto-created topic ${name} with ${this.config.defaultPartitions} partition(s)`);
      return created;
    } catch {
      return undefined;
    }
  }

  deleteTopic(name: string): boolean {
    const ok = this.store.delete(name);
    if (ok) this.offsets.dropTopic(name);
    return ok;
  }

  /**
   * Grows a topic to `count` partitions (CreatePartitions; the caller checked it is more): the new partitions take
   * produce and fetch at once, and consumer groups subscribed to the topic rebalance onto them.
   */
  growTopic(name: string, count: number, why: string): void {
    const topic = this.store.topics.get(name)!;
    const before = topic.partitions.length;
    this.store.reconfigure(name, { ...topic.settings, partitions: count });
    const groups = this.groups.rebalanceSubscribers(name, `topic ${name} grew from ${before} to ${count} partitions`);
    this.log(`topic ${name}: ${before} -> ${count} partitions (${why})${groups.length ? `; rebalancing ${groups.join(', ')}` : ''}`);
  }

  /** DeleteGroups: an error code (NON_EMPTY_GROUP while it has members); on success its committed offsets are gone too. */
  deleteGroup(id: string): number {
    const code = this.groups.deleteGroup(id, this.offsets.groups().includes(id));
    if (code === 0) this.offsets.dropGroup(id);
    return code;
  }

  close(): void {
    this.produceTimings.close();
    this.groups.close();
    this.offsets.close();
    this.store.close();
  }
}
