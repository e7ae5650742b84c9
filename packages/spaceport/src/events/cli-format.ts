/** Text output of `spaceport topics` and `spaceport groups` (the CLI loads it inside the action). */
import type { GroupView, TopicView } from './admin/views.js';
import type { TailRecord } from './admin/records.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function humanMs(ms: number | null): string {
  if (ms === null) return 'forever';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export function formatTopics(addon: string, topics: TopicView[]): string {
  if (topics.length === 0) return `No topics in ${addon}. Create one with: spaceport topics:create NAME --partitions 3`;
  const rows: string[][] = [];
  for (const t of topics) {
    const retention = `${humanMs(t.retentionMs)}${t.retentionBytes !== null ? ` / ${humanBytes(t.retentionBytes)}` : ''}`;
    for (const p of t.partitions) rows.push([t.name, String(p.partition), String(p.logStartOffset), String(p.logEndOffset), String(p.logEndOffset - p.logStartOffset), humanBytes(p.bytes), retention]);
  }
  return `=== ${addon} topics\n` + table(['TOPIC', 'PARTITION', 'START', 'END', 'MESSAGES', 'SIZE', 'RETENTION'], rows);
}

export function formatGroups(addon: string, groups: GroupView[]): string {
  if (groups.length === 0) return `No consumer groups in ${addon} yet.`;
  const out: string[] = [];
  for (const g of groups) {
    out.push(`=== ${g.group}  ${g.state}, generation ${g.generation}, ${g.members.length} member(s)${g.protocol ? `, ${g.protocol}` : ''}`);
    // Replicas of one app share client id and host: the end of the member id tells them apart (which one lags).
    const label = (m: GroupView['members'][number]) => `${m.clientId}@${m.clientHost}`;
    const shared = (m: GroupView['members'][number]) => g.members.filter((x) => label(x) === label(m)).length > 1;
    const owner = new Map<string, string>();
    for (const m of g.members) {
      const who = shared(m) ? `${label(m)} (${m.memberId.slice(-8)})` : label(m);
      for (const [topic, parts] of Object.entries(m.assignment)) for (const p of parts) owner.set(`${topic}/${p}`, who);
    }
    // As kafka-consumer-groups.sh --describe: "-" for no committed offset (and so no lag); the end whenever known.
    const dash = (v: number | null) => (v === null ? '-' : String(v));
    const rows = g.offsets.map((o) => [o.topic, String(o.partition), dash(o.committed), dash(o.logEndOffset), dash(o.lag), owner.get(`${o.topic}/${o.partition}`) ?? '-']);
    for (const [key, who] of owner) {
      const [topic, p] = key.split('/');
      if (!g.offsets.some((o) => o.topic === topic && String(o.partition) === p)) rows.push([topic!, p!, '-', '-', '-', who]);
    }
    rows.sort((a, b) => a[0]!.localeCompare(b[0]!) || Number(a[1]) - Number(b[1]));
    out.push(rows.length ? table(['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG', 'MEMBER'], rows) : '(no committed offsets, no assignments)');
  }
  return out.join('\n\n');
}

/** One tail line: `partition:offset key value` (key `-` when null). */
export function formatRecord(r: TailRecord): string {
  return `${r.partition}:${r.offset}  ${r.key ?? '-'}  ${r.value ?? ''}`;
}
