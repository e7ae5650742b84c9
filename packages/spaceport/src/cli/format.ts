/** Terminal output: log lines coloured per dyno on a TTY (never when piped or with NO_COLOR), tables. */
import type { LogLine } from '../runtime/log-line.js';

const PALETTE = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];

export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb';
}

/** `2026-11-21T17:00:00.123Z app[edm-ui.web.1]: message`, the source tag coloured by dyno when `colour`. */
export function renderLogLine(l: LogLine, colour: boolean): string {
  const who = l.app ? `${l.source}[${l.app}.${l.dyno}]` : `${l.source}[${l.dyno}]`;
  if (!colour) return `${l.time} ${who}: ${l.message}`;
  const code = l.source === 'spaceport' ? 90 : PALETTE[hash(`${l.app}.${l.dyno}`) % PALETTE.length]!;
  return `\x1b[2m${l.time}\x1b[0m \x1b[${code}m${who}:\x1b[0m ${l.message}`;
}

/** Left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

/** `3m 12s ago`-style age of an ISO time. */
export function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
