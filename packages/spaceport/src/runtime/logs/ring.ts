/** A ring of the newest log lines, bounded both by count and by bytes (a line may be up to 10,000 bytes). */
import type { LogLine } from '../log-line.js';

export class LogRing {
  private lines: (LogLine | undefined)[];
  private head = 0; // index of the oldest line
  private size = 0;
  private bytes = 0;

  constructor(
    readonly maxLines = 10_000,
    readonly maxBytes = 8 * 1024 * 1024,
  ) {
    this.lines = new Array(maxLines);
  }

  push(line: LogLine): void {
    const cost = lineCost(line);
    while (this.size > 0 && (this.size === this.maxLines || this.bytes + cost > this.maxBytes)) this.shift();
    this.lines[(this.head + this.size) % this.maxLines] = line;
    this.size += 1;
    this.bytes += cost;
  }

  /** The newest `n` lines (oldest first) that pass `keep`. */
  tail(n: number, keep: (l: LogLine) => boolean = () => true): LogLine[] {
    const out: LogLine[] = [];
    for (let i = this.size - 1; i >= 0 && out.length < n; i--) {
      const l = this.lines[(this.head + i) % this.maxLines]!;
      if (keep(l)) out.push(l);
    }
    return out.reverse();
  }

  get length(): number {
    return this.size;
  }

  private shift(): void {
    const l = this.lines[this.head]!;
    this.lines[this.head] = undefined;
    this.head = (this.head + 1) % this.maxLines;
    this.size -= 1;
    this.bytes -= lineCost(l);
  }
}

function lineCost(l: LogLine): number {
  return l.message.length + l.app.length + l.dyno.length + 64;
}
