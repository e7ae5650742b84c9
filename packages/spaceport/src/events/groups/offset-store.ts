/**
 * Committed consumer offsets, durable: `<data>/groups/offsets.log` is an append-only log of JSON lines
 * (group, topic, partition, offset, metadata), compacted to the latest value per key on every start.
 * A commit is acknowledged once its line is written to the file (write() returned: the kernel holds it, so it
 * survives a SIGKILL or any restart of the broker); the fdatasync follows in the background, grouped. Only an OS
 * crash in that window can lose a commit, and then the consumer re-reads from the previous commit: at-least-once
 * holds. Kafka does the same (__consumer_offsets is not fsynced per commit). kafkajs awaits every commit before
 * its next fetch, so a commit's fsync on the answer's path would be a disk flush on every consumed batch.
 */
import { existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DurableAppendFile } from './durable-file.js';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

interface Line {
  g: string;
  t: string;
  p: number;
  o: number;
  m: string | null;
}

export class OffsetStore {
  /** group → "topic\0partition" → committed offset. */
  private readonly offsets = new Map<string, Map<string, CommittedOffset>>();
  private file!: DurableAppendFile;

  constructor(private readonly dir: string) {}

  open(log: (msg: string) => void): void {
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, 'offsets.log');
    if (existsSync(path)) {
      // The file is preallocated with zeros: its content ends at the first NUL (JSON text never holds a raw one).
      const raw = readFileSync(path, 'utf8');
      const nul = raw.indexOf('\0');
      const lines = (nul < 0 ? raw : raw.slice(0, nul)).split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i]) continue;
        try {
          const l = JSON.parse(lines[i]!) as Line;
          if (l.o < 0) {
            // A tombstone (a deleted topic or group): a group left with no offsets is gone.
            const m = this.offsets.get(l.g);
            m?.delete(`${l.t}\0${l.p}`);
            if (m?.size === 0) this.offsets.delete(l.g);
          }
          else this.set(l.g, l.t, l.p, { offset: l.o, metadata: l.m });
        } catch {
          // Only the last line can be torn by a crash; it was never acknowledged.
          if (i < lines.length - 1 && lines.slice(i + 1).some(Boolean)) log(`offsets.log: skipped an unreadable line ${i + 1}`);
        }
      }
    }
    const tmp = `${path}.tmp`;
    const out: string[] = [];
    for (const [g, m] of this.offsets) {
      for (const [key, c] of m) {
        const [t, p] = splitKey(key);
        out.push(JSON.stringify({ g, t, p, o: c.offset, m: c.metadata } satisfies Line));
      }
    }
    writeFileSync(tmp, out.length ? out.join('\n') + '\n' : '');
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    this.file = new DurableAppendFile(path);
  }

  private set(group: string, topic: string, partition: number, c: CommittedOffset): void {
    let m = this.offsets.get(group);
    if (!m) this.offsets.set(group, (m = new Map()));
    m.set(`${topic}\0${partition}`, c);
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(group)?.get(`${topic}\0${partition}`);
  }

  /** Every committed offset of a group. */
  all(group: string): Array<{ topic: string; partition: number } & CommittedOffset> {
    const out: Array<{ topic: string; partition: number } & CommittedOffset> = [];
    for (const [key, c] of this.offsets.get(group) ?? []) {
      const [topic, partition] = splitKey(key);
      out.push({ topic, partition, ...c });
    }
    return out;
  }

  groups(): string[] {
    return [...this.offsets.keys()];
  }

  /**
   * Records commits: written to the file before this returns (visible to OffsetFetch at once); the returned
   * promise resolves once they are fsynced too (the broker does not wait for it).
   */
  commit(group: string, entries: Array<{ topic: string; partition: number; offset: number; metadata: string | null }>): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const text = entries.map((e) => JSON.stringify({ g: group, t: e.topic, p: e.partition, o: e.offset, m: e.metadata } satisfies Line)).join('\n') + '\n';
    const synced = this.file.append(text);
    for (const e of entries) this.set(group, e.topic, e.partition, { offset: e.offset, metadata: e.metadata });
    return synced;
  }

  /** Forgets a deleted topic's offsets: tombstones (offset -1) in the log, dropped at the next compaction. */
  dropTopic(topic: string): void {
    const lines: string[] = [];
    for (const [g, m] of this.offsets) {
      for (const key of [...m.keys()]) {
        if (!key.startsWith(`${topic}\0`)) continue;
        m.delete(key);
        lines.push(JSON.stringify({ g, t: topic, p: splitKey(key)[1], o: -1, m: null } satisfies Line));
      }
      if (m.size === 0) this.offsets.delete(g);
    }
    if (lines.length) void this.file.append(lines.join('\n') + '\n');
  }

  /** Forgets a deleted group's offsets: tombstones in the log, dropped at the next compaction. */
  dropGroup(group: string): void {
    const m = this.offsets.get(group);
    if (!m) return;
    this.offsets.delete(group);
    const lines = [...m.keys()].map((key) => {
      const [t, p] = splitKey(key);
      return JSON.stringify({ g: group, t, p, o: -1, m: null } satisfies Line);
    });
    if (lines.length) void this.file.append(lines.join('\n') + '\n');
  }

  close(): void {
    this.file?.close();
  }
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf('\0');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
