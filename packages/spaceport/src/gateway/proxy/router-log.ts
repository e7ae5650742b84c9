/**
 * Router log lines in Heroku's format, batched: a worker copies each line into one buffer and flushes it every
 * 100 ms (or at 500 lines), to its parent over IPC or, when it is the only worker, as bytes straight into the
 * control plane's router-log pipe (router-log-pipe.ts), so logging costs a string concat and a copy per request.
 * Secrets never reach a line: only method, path, host, ids, timings and sizes are written.
 */
import type { Writable } from 'node:stream';
import { now as clockNow } from '../clock.js';
import type { RouterError } from './errors.js';

export interface RouterLogEntry {
  app: string;
  method: string;
  path: string;
  host: string;
  requestId: string;
  fwd: string;
  dyno: string;
  connect: number;
  service: number;
  status: number;
  bytes: number;
  error?: RouterError;
  /** On error lines: the socket error behind it (not in Heroku's format; tells a refusal from a reset). */
  err?: string;
}

/** Heroku's router line: `at=info method=GET path="/" host=... request_id=... fwd="..." dyno=web.1 ...`. */
export function formatRouterLine(e: RouterLogEntry): string {
  const head = e.error === undefined ? 'at=info' : `at=error code=${e.error.code} desc="${e.error.desc}"`;
  return `${head} method=${e.method} path="${quote(e.path)}" host=${safe(e.host)} request_id=${e.requestId} fwd="${e.fwd}" dyno=${e.dyno} connect=${e.connect}ms service=${e.service}ms status=${e.status} bytes=${e.bytes} protocol=http${e.err ? ` err=${e.err}` : ''}`;
}

// Request data is client-controlled: quotes and control bytes are escaped so a line cannot be forged.
function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /["\\\x00-\x1f]/.test(s) ? s.replace(/["\\\x00-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : s;
}
function safe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\s"\\\x00-\x1f]/.test(s) ? `"${quote(s)}"` : s;
}

/**
 * A batch as sent over IPC: one string of lines `isoTime \t app \t message \n` (one string serializes far
 * cheaper than an array of them). Messages never hold a tab or newline: formatRouterLine escapes them.
 */
export interface LogBatch {
  type: 'logs';
  text: string;
}

/**
 * One line `isoTime \t app \t message` as [time, app, message], or undefined when it is not three tab-separated
 * fields (the tail of a worker that died mid-write, which a line can never look like).
 */
export function parseBatchLine(line: string): [string, string, string] | undefined {
  const a = line.indexOf('\t');
  const c = a < 0 ? -1 : line.indexOf('\t', a + 1);
  if (c < 0 || line.indexOf('\t', c + 1) >= 0) return undefined;
  return [line.slice(0, a), line.slice(a + 1, c), line.slice(c + 1)];
}

/** The lines of a batch as [time, app, message]. */
export function batchLines(b: LogBatch): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const line of b.text.split('\n')) {
    const parsed = parseBatchLine(line);
    if (parsed) out.push(parsed);
  }
  return out;
}

/**
 * Collects lines and flushes them in batches: through `send` (an IPC message), or written to `out` as they
 * are (the lines' bytes, no message around them) when given. Each line is copied into one preallocated
 * buffer as it is written: a line is a rope of many small strings, and keeping hundreds of them alive
 * until the flush made every young-generation GC copy them (GC was the largest cost of the hot path).
 */
export class LogBatcher {
  private readonly buf = Buffer.allocUnsafe(1 << 18);
  private len = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSecond = -1;
  /** "2026-11-21T20:43:06." of the current second; the milliseconds are appended per line. */
  private isoPrefix = '';
  /** Batches written to `out` whose write has not completed yet, and who waits for none to be left. */
  private unwritten = 0;
  private idle: (() => void)[] = [];
  constructor(
    private readonly send: (batch: LogBatch) => void,
    private readonly out?: Writable,
  ) {}

  push(app: string, message: string): void {
    const now = clockNow();
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) {
      // The date is formatted once a second; a line adds its milliseconds.
      this.lastSecond = second;
      this.isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const ms = now - second * 1000;
    const line = `${this.isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z\t${app}\t${message}\n`;
    if (this.len + line.length > this.buf.length) this.flush();
    // latin1 keeps every char of a request line (Node decodes it as latin1) in one byte.
    this.len += this.buf.write(line, this.len, 'latin1');
    this.count++;
    if (this.count >= 500) this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(this.flushBound, 100);
  }

  private readonly flushBound = () => this.flush();

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.count === 0) return;
    if (this.out !== undefined) {
      // A copy: `buf` is refilled while the write may still wait for the pipe.
      this.unwritten++;
      this.out.write(Buffer.from(this.buf.subarray(0, this.len)), this.written);
    } else this.send({ type: 'logs', text: this.buf.toString('latin1', 0, this.len) });
    this.len = 0;
    this.count = 0;
  }

  private readonly written = () => {
    if (--this.unwritten === 0) for (const f of this.idle.splice(0)) f();
  };

  /** Flushes, and resolves once every batch written to `out` has left (at most `ms` later): before exiting. */
  drain(ms: number): Promise<void> {
    this.flush();
    if (this.unwritten === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle.push(resolve);
      setTimeout(resolve, ms).unref();
    });
  }
}
