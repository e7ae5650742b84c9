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
  /**
   * Every partition with a committed offset, and every assigned one without (committed null), as Kafka's
   * kafka-consumer-groups.sh --describe lists them: the log end always when the partition exists, the lag only
   * where there is a committed offset to count from.
   */
  offsets: Array<{ topic: string; partition: number; committed: number | null; logEndOffset: number | null; lag: number | null }>;
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
      offsets: groupOffsets(broker, id),
    };
  });
}

function groupOffsets(broker: Broker, id: string): GroupView['offsets'] {
  const end = (topic: string, partition: number) => broker.store.partition(topic, partition)?.highWatermark ?? null;
  const rows: GroupView['offsets'] = broker.offsets.all(id).map((c) => {
    const e = end(c.topic, c.partition);
    return { topic: c.topic, partition: c.partition, committed: c.offset, logEndOffset: e, lag: e === null ? null : Math.max(0, e - c.offset) };
  });
  const have = new Set(rows.map((r) => `${r.topic}\0${r.partition}`));
  for (const m of broker.groups.group(id)?.members.values() ?? []) {
    for (const [topic, parts] of Object.entries(decodeAssignment(m.assignment))) {
      for (const p of parts) {
        if (have.has(`${topic}\0${p}`)) continue;
        have.add(`${topic}\0${p}`);
        rows.push({ topic, partition: p, committed: null, logEndOffset: end(topic, p), lag: null });
      }
    }
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}
