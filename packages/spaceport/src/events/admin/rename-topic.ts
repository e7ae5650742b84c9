/**
 * Renaming a topic in place (Kafka has no rename; the lifecycle's `moved:` for topics needs one): the
 * partitions are synced and closed, the topic's directory is renamed, the topic is opened under the new name,
 * and every group's committed offsets move with it. Records and offsets are kept.
 *
 * It is refused while a consumer group has members assigned the topic: they would keep fetching and committing
 * the old name. Producers cannot be seen: one still writing the old name gets UNKNOWN_TOPIC_OR_PARTITION, or
 * with auto_create_topics a new, empty topic of that name, so stop or change them first (the plan says so).
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Broker } from '../broker.js';
import { invalidTopicName } from '../storage/log-store.js';
import { groupViews } from './views.js';

/** Why a rename cannot happen, as an HTTP status, code and message. */
export class RenameError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Renames topic `from` to `to`, keeping its records and committed offsets. */
export async function renameTopic(broker: Broker, from: string, to: string): Promise<void> {
  const bad = invalidTopicName(to);
  if (bad) throw new RenameError(400, 'invalid_topic', bad);
  const topic = broker.store.topics.get(from);
  if (!topic) throw new RenameError(404, 'unknown_topic', `topic ${from} does not exist`);
  const dir = join(broker.config.dataDir, 'topics');
  if (broker.store.topics.has(to) || existsSync(join(dir, to))) throw new RenameError(409, 'topic_exists', `topic ${to} already exists`);
  const users = groupViews(broker).filter((g) => g.members.some((m) => from in m.assignment));
  if (users.length) {
    throw new RenameError(
      409,
      'topic_in_use',
      `topic ${from} is being consumed by group ${users.map((g) => `${g.group} (${g.members.length} member${g.members.length === 1 ? '' : 's'})`).join(', ')}; stop its consumers (spaceport scale <type>=0) and rename again`,
    );
  }
  // Everything appended so far is on disk before the files move; from here on the rename is synchronous.
  for (const p of topic.partitions) p.markDurable(await p.sync());
  if (broker.store.topics.get(from) !== topic || broker.store.topics.has(to)) throw new RenameError(409, 'changed', `topic ${from} changed during the rename; try again`);
  broker.store.topics.delete(from);
  for (const p of topic.partitions) p.close();
  renameSync(join(dir, from), join(dir, to));
  broker.store.reconfigure(to, topic.settings);
  for (const group of broker.offsets.groups()) {
    const moved = broker.offsets.all(group).filter((c) => c.topic === from);
    if (moved.length) await broker.offsets.commit(group, moved.map((c) => ({ topic: to, partition: c.partition, offset: c.offset, metadata: c.metadata })));
  }
  broker.offsets.dropTopic(from);
}
