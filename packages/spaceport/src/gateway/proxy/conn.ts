/**
 * Upstream connections without node:http's client: one socket per request at a time, kept alive in a
 * per-dyno LIFO pool, the request head written as one string, the response read by ResponseParser.
 * This is the proxy's hot path: no ClientRequest/IncomingMessage objects, no per-request timers.
 */
import { enter, leave, now } from '../clock.js';
import net from 'node:net';
import tls from 'node:tls';
import { writeWhole } from '../socket-write.js';
import { ResponseParser, type ParserSink, type ResponseHead } from './response-parser.js';

/** What an exchange hears from its connection. */
export interface ConnUser extends ParserSink {
  /** The socket failed before the response was complete. `connected`: the request may have been sent. */
  onConnError(err: NodeJS.ErrnoException, connected: boolean, reused: boolean): void;
  /** The bytes of one socket read were parsed (a response head still held back can go out now). */
  onFlush(): void;
}

/** Pooled sockets idle longer than this are not reused: the upstream may be closing them (Node closes at 5 s). */
const MAX_IDLE_MS = 4000;
/**
 * An upstream that announces `Keep-Alive: timeout=N` (Node does) closes idle connections after N s: a
 * socket is reused only while idle for less than that minus this margin. A request written on a socket the
 * upstream is closing is lost, and only idempotent ones may be retried (an app with keepAliveTimeout 2 s
 * and the 4 s default above made POSTs fail with H13).
 */
const IDLE_MARGIN_MS = 1000;
/** Sockets past this many idle ones are closed; low values churn connections (TIME_WAIT) under many clients. */
const MAX_IDLE_PER_DYNO = 1024;

export class Pool {
  readonly idle: UpstreamConn[] = [];
  constructor(
    readonly host: string,
    readonly port: number,
    readonly tls: boolean,
  ) {}

  /** A connection for one request: the most recently used idle one, or a new one. */
  acquire(): UpstreamConn {
    const t = now();
    while (this.idle.length !== 0) {
      const c = this.idle.pop()!;
      if (!c.dead && t - c.idleSince < c.maxIdleMs) {
        c.reused = true;
        return c;
      }
      c.destroy();
    }
    return new UpstreamConn(this);
  }

  release(c: UpstreamConn): void {
    if (c.dead || this.idle.length >= MAX_IDLE_PER_DYNO) return c.destroy();
    // Paused for a slow client (backpressure) when its response ended in the same read: an idle socket reads
    // again, or the next request on it would wait for an answer it never reads.
    if (c.socket.isPaused()) c.socket.resume();
    c.idleSince = now();
    this.idle.push(c);
  }

  destroy(): void {
    for (const c of this.idle) c.destroy();
    this.idle.length = 0;
  }
}

type SocketWithConn = net.Socket & { _conn?: UpstreamConn };

export class UpstreamConn {
  readonly socket: SocketWithConn;
  readonly parser = new ResponseParser();
  user: ConnUser | null = null;
  connected = false;
  reused = false;
  dead = false;
  idleSince = 0;
  keepAlive = true;
  /** How long this socket may idle in the pool and still be reused (see IDLE_MARGIN_MS). */
  maxIdleMs = MAX_IDLE_MS;

  constructor(readonly pool: Pool) {
    const s = (
      pool.tls
        ? tls.connect({ host: pool.host, port: pool.port, servername: net.isIP(pool.host) ? undefined : pool.host })
        : net.connect({ port: pool.port, host: pool.host, onread: { buffer: READ_BUFFER, callback: onRead } })
    ) as SocketWithConn;
    s.setNoDelay(true);
    s._conn = this;
    s.on(pool.tls ? 'secureConnect' : 'connect', onConnect);
    if (pool.tls) s.on('data', onData);
    s.on('error', onError);
    s.on('close', onClose);
    this.socket = s;
  }

  /** Sends a request head (and starts reading its response for `user`). */
  start(user: ConnUser, head: string, isHead: boolean): void {
    this.user = user;
    this.keepAlive = true;
    this.parser.reset(this.sink, isHead);
    writeWhole(this.socket, head);
  }

  private readonly sink: ParserSink = {
    onHead: (h: ResponseHead) => {
      this.keepAlive = h.keepAlive;
      if (h.keepAliveMs >= 0) this.maxIdleMs = Math.min(MAX_IDLE_MS, h.keepAliveMs - IDLE_MARGIN_MS);
      this.user?.onHead(h);
    },
    onBody: (b: Buffer) => this.user?.onBody(b),
    onEnd: () => {
      const u = this.user;
      this.user = null;
      if (this.keepAlive) this.pool.release(this);
      else this.destroy();
      u?.onEnd();
    },
  };

  /** Closes the socket; whoever used it hears nothing more. */
  destroy(): void {
    this.user = null;
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
  }

  fail(err: NodeJS.ErrnoException): void {
    const u = this.user;
    this.user = null;
    this.destroy();
    if (u !== null) u.onConnError(err, this.connected, this.reused);
  }
}

function onConnect(this: SocketWithConn): void {
  this._conn!.connected = true;
}

/**
 * Plain upstream sockets read into this one buffer (net's `onread`): no Readable stream per read (its push,
 * 'data' event and read-more tick) and no new ArrayBuffer per read. A read is parsed at once, before the
 * next can overwrite it; so whatever the parser hands on (ParserSink.onBody) is borrowed for that call only.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function onRead(this: SocketWithConn, n: number): boolean {
  enter();
  try {
    onData.call(this, READ_BUFFER.subarray(0, n));
  } finally {
    leave();
  }
  // Reading goes on: backpressure pauses the socket itself (pause() stops an `onread` socket's reads too).
  return true;
}

function onData(this: SocketWithConn, data: Buffer): void {
  const c = this._conn!;
  if (c.user === null) {
    // Bytes on an idle connection: the upstream is confused; never reuse it.
    c.destroy();
    return;
  }
  try {
    c.parser.feed(data);
  } catch (err) {
    return c.fail(Object.assign(err as Error, { code: 'EBADRESPONSE' }));
  }
  c.user?.onFlush();
}

function onError(this: SocketWithConn, err: NodeJS.ErrnoException): void {
  this._conn!.fail(err);
}

function onClose(this: SocketWithConn): void {
  const c = this._conn!;
  c.dead = true;
  if (c.user === null) return;
  if (c.parser.readsUntilClose && c.parser.close()) return;
  c.fail(Object.assign(new Error('upstream closed the connection'), { code: 'ECONNRESET' }));
}
