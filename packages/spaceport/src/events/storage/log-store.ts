/**
 * The topics of the broker: `<data>/topics/<name>/topic.json` (partition count, retention) and one directory of
 * segments per partition. The storage interface the API modules use; it knows nothing of the wire protocol.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flusher, type FlushTimings } from './flusher.js';
import { PartitionLog } from './partition-log.js';

export interface TopicSettings {
  partitions: number;
  /** Delete sealed segments older than this (ms). */
  retentionMs?: number;
  /** Delete the oldest sealed segments while a partition is larger than this. */
  retentionBytes?: number;
}

export interface Topic {
  name: string;
  settings: TopicSettings;
  partitions: PartitionLog[];
}

export interface LogStoreOptions {
  dataDir: string;
  segmentBytes: number;
  log: (msg: string) => void;
  /** Where the group commit reports its waits and fsync times (the produce timings). */
  flushTimings?: FlushTimings;
}

const WEEK_MS = 7 * 86_400_000;

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** Why a topic name is invalid, or undefined (Kafka's Topic.validate rules). */
export function invalidTopicName(name: string): string | undefined {
  if (name === '.' || name === '..') return 'topic name cannot be "." or ".."';
  if (!TOPIC_NAME.test(name)) return 'topic names are 1-249 letters, digits, ".", "_" and "-"';
  return undefined;
}

export class LogStore {
  readonly topics = new Map<string, Topic>();
  readonly flusher: Flusher;
  private readonly topicsDir: string;

  constructor(private readonly opts: LogStoreOptions) {
    this.topicsDir = join(opts.dataDir, 'topics');
    this.flusher = new Flusher(opts.log, opts.flushTimings);
  }

  /** Loads every topic on disk, recovering each partition. */
  open(): void {
    mkdirSync(this.topicsDir, { recursive: true });
    rmSync(join(this.opts.dataDir, 'trash'), { recursive: true, force: true });
    for (const name of readdirSync(this.topicsDir)) {
      const metaFile = join(this.topicsDir, name, 'topic.json');
      if (!existsSync(metaFile)) continue;
      const settings = JSON.parse(readFileSync(metaFile, 'utf8')) as TopicSettings;
      this.load(name, settings);
    }
  }

  private openPartition(topic: Topic, p: number): void {
    // Segments roll at least weekly, or at the retention time when shorter (Kafka: segment.ms).
    const segmentMs = () => Math.min(topic.settings.retentionMs ?? WEEK_MS, WEEK_MS);
    const log = new PartitionLog(topic.name, p, PartitionLog.pathFor(join(this.topicsDir, topic.name), p), { segmentBytes: this.opts.segmentBytes, segmentMs, log: this.opts.log });
    log.open();
    topic.partitions.push(log);
  }

  private load(name: string, settings: TopicSettings): Topic {
    const topic: Topic = { name, settings, partitions: [] };
    for (let p = 0; p < settings.partitions; p++) this.openPartition(topic, p);
    this.topics.set(name, topic);
    return topic;
  }

  private writeMeta(name: string, settings: TopicSettings): void {
    const dir = join(this.topicsDir, name);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, 'topic.json.tmp');
    writeFileSync(tmp, JSON.stringify(settings));
    renameSync(tmp, join(dir, 'topic.json'));
  }

  /** Creates a topic; throws with a message if it exists or the name is invalid. */
  create(name: string, settings: TopicSettings): Topic {
    const bad = invalidTopicName(name);
    if (bad) throw new Error(bad);
    if (this.topics.has(name)) throw new Error(`topic ${name} already exists`);
    this.writeMeta(name, settings);
    return this.load(name, settings);
  }

  /** Applies configured settings to an existing topic: partitions can only grow, retention is replaced. */
  reconfigure(name: string, settings: TopicSettings): void {
    const topic = this.topics.get(name);
    if (!topic) return void this.create(name, settings);
    const partitions = Math.max(topic.partitions.length, settings.partitions);
    topic.settings = { ...settings, partitions };
    this.writeMeta(name, topic.settings);
    for (let p = topic.partitions.length; p < partitions; p++) this.openPartition(topic, p);
  }

  /** Deletes a topic: closed at once, its files moved aside and removed. */
  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    for (const p of topic.partitions) p.close();
    const trash = join(this.opts.dataDir, 'trash');
    mkdirSync(trash, { recursive: true });
    const aside = join(trash, `${name}-${Date.now()}`);
    renameSync(join(this.topicsDir, name), aside);
    rmSync(aside, { recursive: true, force: true });
    return true;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  enforceRetention(now = Date.now()): void {
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        const n = p.enforceRetention(t.settings.retentionMs, t.settings.retentionBytes, now);
        if (n > 0) this.opts.log(`retention: deleted ${n} segment(s) of ${t.name}-${p.partition}, log now starts at ${p.logStartOffset}`);
      }
    }
  }

  close(): void {
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
  }
}
