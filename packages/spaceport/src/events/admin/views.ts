/** What the admin endpoint shows: topics with offsets and sizes, groups with members, assignments and lag. */
import type { Broker } from '../broker.js';
import { groupIds } from '../apis/list-groups.js';
import { Reader } from '../protocol/reader.js';

export interface TopicView {
  name: string;
  partitions: Array<{ partition: number; logStartOffset: number; logEndOffset: number; bytes: number }>;
  retentionMs: number | null;
  retentionBytes: number | null;
}

export function topicViews(broker: Broker): TopicView[] {
  return [...broker.store.topics.values()]
    .map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partition: p.partition, logStartOffset: p.logStartOffset, logEndOffset: p.highWatermark, bytes: p.sizeBytes })),
      retentionMs: t.settings.retentionMs ?? null,
      retentionBytes: t.settings.retentionBytes ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface GroupView {
  group: string;
  state: string;
  protocolType: string;
  protocol: string;
  generation: number;
  members: Array<{ memberId: string; clientId: string; clientHost: string; assignment: Record<string, number[]> }>;
  offsets: Array<{ topic: string; partition: number; committed: number; logEndOffset: number | null; lag: number | null }>;
}

/** Decodes a consumer-protocol assignment (ConsumerProtocolAssignment.json); anything else shows as empty. */
export function decodeAssignment(buf: Buffer): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (buf.length < 2) return out;
  try {
    const r = new Reader(buf);
    r.int16();
    for (const t of r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }))) out[t.topic] = t.partitions;
  } catch {
    /* not the consumer protocol */
  }
  return out;
}

export function groupViews(broker: Broker): GroupView[] {
  return groupIds(broker).map((id) => {
    const g = broker.groups.group(id);
    return {
      group: id,
      state: g?.state ?? 'Empty',
      protocolType: g?.protocolType ?? 'consumer',
      protocol: g?.protocol ?? '',
      generation: g?.generation ?? 0,
      members: g ? [...g.members.values()].map((m) => ({ memberId: m.id, clientId: m.clientId, clientHost: m.clientHost, assignment: decodeAssignment(m.assignment) })) : [],
      offsets: broker.offsets
        .all(id)
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        .map((c) => {
          const end = broker.store.partition(c.topic, c.partition)?.highWatermark ?? null;
          return { topic: c.topic, partition: c.partition, committed: c.offset, logEndOffset: end, lag: end === null ? null : Math.max(0, end - c.offset) };
        }),
    };
  });
}
