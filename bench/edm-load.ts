/**
 * bench/edm-load.ts: a lean open-loop HTTP/1.1 load generator for the edm benchmark. Each of `sockets` keep-alive
 * connections is one client (a browser or a partner server) with one request at a time, as browsers send events;
 * requests due while every connection is busy wait in a queue, and that wait counts (the event's `at` is its
 * intended time). Raw sockets instead of http.request: the generator shares the 2 cores with the system it
 * measures, and node's HTTP client costs several times the CPU per request.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  status: number;
  body: string;
}

interface Pending {
  head: string;
  body: Buffer;
  onWritten: () => void;
  onDone: (r: LoadResult | Error) => void;
}

interface Conn {
  socket: Socket;
  busy: Pending | undefined;
  buf: Buffer;
}

export class LoadClient {
  private idle: Conn[] = [];
  private queue: Pending[] = [];
  private head = 0;
  private open = 0;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly sockets: number,
  ) {}

  /** Requests waiting for a free connection right now. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** POSTs `body` to `path`; `onWritten` when it went to the OS, `onDone` with the answer or the error. */
  post(path: string, headers: Record<string, string>, body: string, onWritten: () => void, onDone: (r: LoadResult | Error) => void): void {
    const b = Buffer.from(body);
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Length: ${b.length}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    const p: Pending = { head: `${head}\r\n`, body: b, onWritten, onDone };
    const c = this.idle.shift(); // the longest idle first: every connection stays in use, none times out
    if (c) return this.start(c, p);
    this.queue.push(p);
    if (this.open < this.sockets) this.dial();
  }

  /** Opens every connection and resolves once all are connected and idle. */
  async warm(): Promise<void> {
    const opening: Promise<void>[] = [];
    while (this.open < this.sockets) {
      opening.push(new Promise<void>((resolve) => this.dial(resolve)));
    }
    await Promise.all(opening);
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle) c.socket.destroy();
  }

  private dial(connected?: () => void): void {
    this.open++;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    const c: Conn = { socket, busy: undefined, buf: Buffer.alloc(0) };
    socket.on('connect', () => {
      this.next(c);
      connected?.();
    });
    socket.on('data', (d: Buffer) => this.read(c, d));
    socket.on('error', () => connected?.());
    socket.on('close', () => {
      this.open--;
      const i = this.idle.indexOf(c);
      if (i >= 0) this.idle.splice(i, 1);
      if (c.busy) c.busy.onDone(new Error('connection closed before the answer'));
      c.busy = undefined;
      if (!this.closed && this.queued > 0) this.dial();
    });
  }

  private start(c: Conn, p: Pending): void {
    c.busy = p;
    c.socket.write(p.head);
    c.socket.write(p.body, () => p.onWritten());
  }

  private next(c: Conn): void {
    if (this.head < this.queue.length) {
      const p = this.queue[this.head++]!;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.start(c, p);
    } else if (!this.closed) this.idle.push(c);
    else c.socket.destroy();
  }

  /** Parses one response (status line, Content-Length body; the gateway and the relay always send one). */
  private read(c: Conn, d: Buffer): void {
    c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
    const end = c.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = c.buf.toString('latin1', 0, end);
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!m) {
      c.busy?.onDone(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
      c.busy = undefined;
      c.socket.destroy();
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (c.buf.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = c.buf.toString('utf8', end + 4, total);
    c.buf = c.buf.subarray(total);
    const p = c.busy;
    c.busy = undefined;
    if (/\r\nconnection:\s*close/i.test(head)) c.socket.end();
    else this.next(c);
    p?.onDone({ status, body });
  }
}
