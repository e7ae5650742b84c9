/**
 * Topics (`addons.<kafka>.topics.<name>`) of the embedded broker, through the control API's `/v1/topics`.
 * A `moved:` topic is renamed in place by the broker (records and committed offsets kept).
 * Topics that clients created on first use (auto_create_topics) are neither in the file nor in state:
 * they are left alone. Deleting a topic loses its records, so it needs --allow-destroy (destroy keeps
 * topics unless --include-data).
 */
import type { Space } from '../../config/load.js';
import { ORDER, type Change, type ChangeSpec, type Provider, type YamlEdit } from '../types.js';
import { seg, type Call } from './clients.js';

/**
 * `retention` in ms and `retention_bytes` in bytes, null for no limit. They were not attributes: a topic that
 * apply created in a running space kept the broker's 7d and no size limit whatever the file said, and a changed
 * retention planned as "No changes" (only a restart of the broker applied the file's values).
 */
export interface TopicAttrs {
  partitions: number;
  retention: number | null;
  retention_bytes: number | null;
}

/** The broker's retention for a topic whose file sets none (events/broker.ts: defaultRetentionMs). */
const DEFAULT_RETENTION_MS = 7 * 86_400_000;

/** Milliseconds as the file writes a duration (`7d`, `12h`, `90s`, `500ms`). */
function durationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const sameAttrs = (a: TopicAttrs, b: TopicAttrs) => a.partitions === b.partitions && a.retention === b.retention && a.retention_bytes === b.retention_bytes;
const retentionBody = (t: TopicAttrs) => ({ retentionMs: t.retention, retentionBytes: t.retention_bytes });

export class TopicProvider implements Provider<TopicAttrs, TopicAttrs, Space> {
  readonly kind = 'topic';
  readonly order = ORDER.topic;
  readonly ownsUnrecorded = false;
  /** The embedded broker renames a topic in place, with its records and committed offsets. */
  readonly canMove = true;
  private broker: string | undefined;
  constructor(private readonly control: Call) {}

  desired(space: Space): Map<string, TopicAttrs> {
    const out = new Map<string, TopicAttrs>();
    const embedded = Object.entries(space.config.addons).find(([, a]) => a.type === 'kafka' && !a.url);
    this.broker = embedded?.[0];
    if (!embedded || embedded[1].type !== 'kafka') return out;
    for (const [t, cfg] of Object.entries(embedded[1].topics)) {
      out.set(`addons.${embedded[0]}.topics.${t}`, { partitions: cfg.partitions, retention: cfg.retention ?? DEFAULT_RETENTION_MS, retention_bytes: cfg.retention_bytes ?? null });
    }
    return out;
  }

  async read(): Promise<Map<string, TopicAttrs>> {
    const out = new Map<string, TopicAttrs>();
    if (!this.broker) return out;
    // The file's broker, or the one running under its old name (a moved: rename not applied yet); none
    // runs when apply is about to start it.
    const st = await this.control<{ services?: Record<string, { type?: unknown; embedded?: unknown }> }>('GET', '/v1/status');
    const brokers = Object.entries(st.services ?? {}).filter(([n, x]) => n.startsWith('addons.') && x.type === 'kafka' && x.embedded === true).map(([n]) => n.slice('addons.'.length));
    const running = brokers.includes(this.broker) ? this.broker : brokers.length === 1 ? brokers[0] : undefined;
    if (!running) return out;
    const r = await this.control<{ topics: { name: string; partitions: unknown[]; retentionMs?: number | null; retentionBytes?: number | null }[] }>('GET', `/v1/topics?addon=${seg(running)}`);
    for (const t of r.topics) out.set(`addons.${this.broker}.topics.${t.name}`, { partitions: t.partitions.length, retention: t.retentionMs ?? null, retention_bytes: t.retentionBytes ?? null });
    return out;
  }

  diff(want: TopicAttrs | undefined, have: TopicAttrs | undefined): ChangeSpec<TopicAttrs, TopicAttrs>[] {
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have, destroysData: 'its records are deleted' }];
    if (want && have && !sameAttrs(want, have)) {
      if (want.partitions < have.partitions) return [{ action: 'replace', before: have, after: want, reason: 'partitions cannot be reduced', destroysData: 'its records are deleted' }];
      return [{ action: 'update', before: have, after: want }];
    }
    return [];
  }

  /** `--replace`: deleted and created anew with the file's partitions and retention: its records are lost. */
  replace(want: TopicAttrs, have: TopicAttrs): ChangeSpec<TopicAttrs, TopicAttrs> {
    return { action: 'replace', before: have, after: want, destroysData: 'its records are deleted: a new, empty topic is created with the file\'s partitions and retention' };
  }

  async apply(c: Change<TopicAttrs, TopicAttrs>): Promise<void> {
    const [, addon, , ...rest] = c.address.split('.');
    const name = rest.join('.');
    const q = `?addon=${seg(addon!)}`;
    if (c.action === 'move') {
      const [, fromAddon, , ...fromRest] = c.from!.split('.');
      if (fromAddon !== addon) throw new Error(`${c.from} cannot move to another add-on (${addon}): a topic's records stay in their broker`);
      const old = fromRest.join('.');
      if (old !== name) await this.control('POST', `/v1/topics/${seg(old)}/rename${q}`, { to: name });
      return;
    }
    if (c.action === 'delete') {
      if (!c.keepData) await this.control('DELETE', `/v1/topics/${seg(name)}${q}&confirm=${seg(name)}`);
      return;
    }
    // Partitions only grow in place; fewer means a new topic (the replace, consented to with --allow-destroy).
    const patch = () => this.control('PATCH', `/v1/topics/${seg(name)}${q}`, { partitions: c.after!.partitions, ...retentionBody(c.after!) });
    if (c.action === 'update') return void (await patch());
    if (c.action === 'replace') await this.control('DELETE', `/v1/topics/${seg(name)}${q}&confirm=${seg(name)}`);
    await this.control('POST', `/v1/topics${q}`, { name, partitions: c.after!.partitions }).catch((err: Error) => {
      // A broker the same apply started made the file's topics itself.
      if (c.action !== 'create' || !/already exists/.test(err.message)) throw err;
    });
    await patch(); // creation takes the partitions only: the retention follows
  }

  moveNote(from: string, to: string): string | undefined {
    if (from.split('.')[1] !== to.split('.')[1]) return undefined;
    return `${from} is renamed to ${to} in place, keeping its records and consumer groups' committed offsets. Consumers of it must be stopped first (apply fails while a group has members on it), and producers still using the old name get UNKNOWN_TOPIC_OR_PARTITION (or, with auto_create_topics, a new empty topic of that name): stop them, or deploy them with the new name right after`;
  }

  adopt(address: string, live: TopicAttrs | undefined, want: TopicAttrs | undefined): YamlEdit[] {
    if (live && want && sameAttrs(live, want)) return [];
    const [, addon, , ...rest] = address.split('.');
    const path = ['addons', addon!, 'topics', rest.join('.')];
    // No retention limit (null) cannot be written in the file: that one is left as written.
    const retention = (t: TopicAttrs) => (t.retention === null ? undefined : t.retention === DEFAULT_RETENTION_MS ? undefined : durationText(t.retention));
    if (live && want) {
      const edits: YamlEdit[] = [];
      if (live.partitions !== want.partitions) edits.push({ path: [...path, 'partitions'], value: live.partitions });
      if (live.retention !== want.retention && live.retention !== null) edits.push({ path: [...path, 'retention'], value: retention(live) });
      if (live.retention_bytes !== want.retention_bytes) edits.push({ path: [...path, 'retention_bytes'], value: live.retention_bytes ?? undefined });
      return edits;
    }
    if (!live) return [{ path, value: undefined }];
    const r = retention(live);
    return [{ path, value: { partitions: live.partitions, ...(r ? { retention: r } : {}), ...(live.retention_bytes !== null ? { retention_bytes: live.retention_bytes } : {}) } }];
  }
}
