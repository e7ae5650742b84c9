/**
 * The LogSink of the control plane: stamps each line, keeps the newest in a ring, appends them to the file,
 * and fans them out to followers (`logs -t`). A consumer that lags (file or follower) loses lines instead of
 * growing memory; the loss is counted per dyno and reported once it catches up, as Heroku's L10 does.
 */
import type { LogLine, LogSink } from '../log-line.js';
import { formatLogLine } from '../log-line.js';
import { LogRing } from './ring.js';
import { LogFile } from './log-file.js';

export interface LogFilter {
  app?: string;
  dyno?: string;
  source?: LogLine['source'];
}

export interface LogFollower {
  /** Delivers a line; returns false when the follower lags and the line was dropped. */
  deliver(line: LogLine): boolean;
  /** Called once when the hub closes (the space stopped), after the last line. */
  end?(): void;
}

export interface LogHubOptions {
  file?: string;
  maxLines?: number;
  fileMaxBytes?: number;
  /** Also called with every line (foreground `up` prints them). */
  echo?: (line: LogLine) => void;
}

export class LogHub implements LogSink {
  readonly ring: LogRing;
  private readonly file: LogFile | undefined;
  private readonly followers = new Set<{ filter: LogFilter; f: LogFollower; drops: DropCounter }>();
  private readonly fileDrops = new DropCounter();
  /** Lines lost anywhere (file or a follower) since start. */
  dropped = 0;

  constructor(private readonly opts: LogHubOptions = {}) {
    this.ring = new LogRing(opts.maxLines ?? 10_000);
    this.file = opts.file ? new LogFile(opts.file, opts.fileMaxBytes) : undefined;
  }

  write(input: Omit<LogLine, 'time'> & { time?: string }): void {
    const line: LogLine = { time: input.time ?? new Date().toISOString(), source: input.source, app: input.app, dyno: input.dyno, message: input.message };
    this.ring.push(line);
    this.opts.echo?.(line);
    if (this.file) {
      if (this.fileDrops.pending > 0 && this.file.write(formatLogLine(this.fileDrops.peek()))) {
        this.ring.push(this.fileDrops.flush()); // the loss shows in `logs` too
      }
      if (!this.file.write(formatLogLine(line))) this.drop(this.fileDrops, line);
    }
    for (const fl of this.followers) {
      if (!matches(fl.filter, line)) continue;
      if (fl.drops.pending > 0 && !fl.f.deliver(fl.drops.peek())) {
        this.drop(fl.drops, line);
        continue;
      }
      if (fl.drops.pending > 0) fl.drops.flush();
      if (!fl.f.deliver(line)) this.drop(fl.drops, line);
    }
  }

  /** The newest `n` lines that match. */
  tail(n: number, filter: LogFilter = {}): LogLine[] {
    return this.ring.tail(n, (l) => matches(filter, l));
  }

  /** Streams every new matching line to `f` until the returned function is called. */
  follow(filter: LogFilter, f: LogFollower): () => void {
    const entry = { filter, f, drops: new DropCounter() };
    this.followers.add(entry);
    return () => this.followers.delete(entry);
  }

  /** Ends every follower (after the last line: `logs -t` shows the stop to its end), then the file. */
  async close(): Promise<void> {
    for (const fl of this.followers) fl.f.end?.();
    this.followers.clear();
    await this.file?.close();
  }

  private drop(counter: DropCounter, line: LogLine): void {
    counter.count(line);
    this.dropped += 1;
  }
}

/** Counts dropped lines and renders them as one L10 line. */
class DropCounter {
  pending = 0;
  private since = '';
  private app = '';
  private dyno = '';

  count(l: LogLine): void {
    if (this.pending === 0) {
      this.since = l.time;
      this.app = l.app;
      this.dyno = l.dyno;
    }
    this.pending += 1;
  }

  peek(): LogLine {
    return {
      time: new Date().toISOString(),
      source: 'spaceport',
      app: this.app,
      dyno: this.dyno,
      message: `Error L10 (output buffer overflow) -> ${this.pending} messages dropped since ${this.since}`,
    };
  }

  flush(): LogLine {
    const l = this.peek();
    this.pending = 0;
    return l;
  }
}

export function matches(f: LogFilter, l: LogLine): boolean {
  return (!f.app || l.app === f.app) && (!f.dyno || l.dyno === f.dyno || l.dyno.startsWith(f.dyno + '.')) && (!f.source || l.source === f.source);
}
