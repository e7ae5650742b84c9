/**
 * One client connection of the gateway's HTTP/1.1 server, on a raw socket: requests are parsed by
 * RequestParser and served one at a time, in order (pipelined requests wait in the parser), and each
 * response is framed here: Content-Length passed through, otherwise chunked (HTTP/1.1) or until close
 * (HTTP/1.0); keep-alive unless the client or the framing says otherwise. A response head waits until
 * its first body bytes, so a small answer leaves in one write.
 * Socket handlers are module-level functions that find the connection on the socket: no closures per
 * connection or request.
 */
import { now } from '../clock.js';
import type { Socket } from 'node:net';
import { ParseError, RequestParser, type RequestSink } from './request-parser.js';
import type { RequestHead } from './request-head.js';
import { dateHeader, reason, statusLine } from './response-head.js';
import { listenTo, stopListening, type SocketWithConn } from './client-socket.js';
import { SlotList } from '../slot-list.js';
import { writeWhole } from '../socket-write.js';

/** What a connection tells the request it is serving. */
export interface ServerExchange {
  /** Request body bytes (decoded when chunked). */
  onRequestBody(chunk: Buffer): void;
  onRequestEnd(): void;
  /** The response was written (`aborted` false), or the client went away before (true). Called once. */
  onDone(aborted: boolean): void;
  /** The client socket drained after a write returned false. */
  onWritable(): void;
  /** Body bytes of the response (for the router line); `respond` sets it for the answers the server writes whole. */
  bytes: number;
}

/** The server's side: what to do with requests, upgrades and requests that could not be parsed. */
export interface ServerHandler {
  /** A request head: the handler calls conn.attach(exchange) before it answers. */
  request(conn: ClientConn, head: RequestHead): void;
  /** An upgrade request: the socket (detached from this server) and the bytes that followed the head. */
  upgrade(conn: ClientConn, head: RequestHead, socket: Socket, rest: Buffer): void;
  /** A malformed request, already answered with `err.status` (for the router log). */
  badRequest(conn: ClientConn, err: ParseError): void;
}

/** A request body still arriving after its response was sent is read and dropped up to this size; past it the connection closes. */
const DISCARD_LIMIT = 1 << 20;
/** Pipelined bytes buffered beyond this pause reading from the socket until the current request is answered. */
const PIPELINE_BUFFER = 64 * 1024;
/** Bodies up to this size leave with their head as one string (one socket write, no writev). */
const SMALL_BODY = 4096;

/** A copy of borrowed bytes for a socket write, which may keep them until the kernel takes them. */
const owned = (b: Buffer): Buffer => Buffer.from(b);

export class ClientConn implements RequestSink {
  readonly socket: SocketWithConn;
  readonly parser: RequestParser;
  readonly ip: string;
  current: ServerExchange | null = null;
  head: RequestHead | undefined = undefined;
  /** Position in `connections` (a SlotList), -1 once closed. */
  slot = -1;
  /** When the connection last became idle, or when the current request head began arriving. */
  since: number;
  /** Stop after the current request (server closing, client half-closed). */
  closing = false;
  // Per request.
  private responseDone = true;
  private bodyDone = true;
  private started = false;
  private chunkedOut = false;
  private closeAfter = false;
  private noBody = false;
  private pendingHead: string | null = null;
  private continueSent = false;
  private discarded = 0;
  private pausedByUser = false;
  private pausedByPipeline = false;

  constructor(
    socket: Socket,
    readonly handler: ServerHandler,
    /** The listener's port (X-Forwarded-Port) and whether it is an internal router listener. */
    readonly port: number,
    readonly internal: boolean,
  ) {
    this.socket = socket as SocketWithConn;
    this.socket._c = this;
    this.parser = new RequestParser(this);
    const ip = socket.remoteAddress ?? '';
    this.ip = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    this.since = Date.now();
    listenTo(socket);
  }

  /** True when no request is in progress and nothing of the next one has arrived. */
  get idle(): boolean {
    return this.current === null && this.responseDone && this.bodyDone && this.parser.buffered === 0;
  }

  // RequestSink.
  onHead(head: RequestHead): void {
    if (head.upgrade) return this.handOff(head);
    this.head = head;
    this.responseDone = false;
    this.bodyDone = false;
    this.started = false;
    this.chunkedOut = false;
    this.closeAfter = !head.keepAlive || this.closing;
    this.noBody = head.method === 'HEAD';
    this.pendingHead = null;
    this.continueSent = false;
    this.discarded = 0;
    this.handler.request(this, head);
  }

  onBody(chunk: Buffer): void {
    if (this.current !== null) return this.current.onRequestBody(chunk);
    this.discarded += chunk.length;
    if (this.discarded > DISCARD_LIMIT) this.socket.destroy();
  }

  onBodyEnd(): void {
    this.bodyDone = true;
    if (this.current !== null) this.current.onRequestEnd();
    else if (this.responseDone) this.nextRequest();
  }

  /** Makes `ex` the request this connection serves (the handler calls it first). */
  attach(ex: ServerExchange): void {
    this.current = ex;
  }

  /** Sends "100 Continue" when the client waits for it (before the body is forwarded). */
  sendContinue(ex: ServerExchange): void {
    if (this.current !== ex || this.continueSent || this.started || !this.head!.expectContinue || this.bodyDone) return;
    this.continueSent = true;
    this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
  }

  /**
   * Starts a streamed response: `lines` are header lines ("Name: value\r\n" each), `length` the body's
   * Content-Length (already among the lines) or -1 when unknown. The head is sent with the first body bytes.
   */
  start(ex: ServerExchange, status: number, lines: string, length: number): void {
    if (this.current !== ex || this.started) return;
    this.started = true;
    const noBody = this.noBody || status === 204 || status === 304 || status < 200;
    this.noBody = noBody;
    let framing = '';
    if (!noBody && length < 0) {
      if (this.head!.version === 11) {
        this.chunkedOut = true;
        framing = 'Transfer-Encoding: chunked\r\n';
      } else this.closeAfter = true;
    }
    this.pendingHead = statusLine(status) + lines + framing + this.connectionLine() + '\r\n';
  }

  /**
   * Writes body bytes (chunk-framed when needed); false when the socket's buffer is full (wait for onWritable).
   * `chunk` is borrowed (an upstream read buffer that is reused): it is copied, or turned into a string, here.
   */
  write(ex: ServerExchange, chunk: Buffer): boolean {
    if (this.current !== ex || this.noBody || chunk.length === 0) return true;
    const s = this.socket;
    const head = this.pendingHead;
    this.pendingHead = null;
    if (this.chunkedOut) {
      const size = `${head ?? ''}${chunk.length.toString(16)}\r\n`;
      s.cork();
      s.write(size, 'latin1');
      s.write(owned(chunk));
      const ok = s.write('\r\n', 'latin1');
      s.uncork();
      return ok;
    }
    if (head === null) return s.write(owned(chunk));
    if (chunk.length <= SMALL_BODY) return s.write(head + chunk.toString('latin1'), 'latin1');
    s.cork();
    s.write(head, 'latin1');
    const ok = s.write(owned(chunk));
    s.uncork();
    return ok;
  }

  /** Sends the head now if it still waits for body bytes (a response that streams slowly must show its head). */
  flushHead(ex: ServerExchange): void {
    if (this.current !== ex || this.pendingHead === null) return;
    const head = this.pendingHead;
    this.pendingHead = null;
    this.socket.write(head, 'latin1');
  }

  /** Ends the response, with `last` as its final body bytes (borrowed, as in `write`). */
  end(ex: ServerExchange, last?: Buffer): void {
    if (this.current !== ex) return;
    if (last !== undefined && last.length !== 0 && !this.noBody) {
      if (this.chunkedOut) {
        this.write(ex, last);
        this.socket.write('0\r\n\r\n', 'latin1');
      } else {
        const head = this.pendingHead;
        this.pendingHead = null;
        if (head === null) this.socket.write(owned(last));
        else if (last.length <= SMALL_BODY) writeWhole(this.socket, head + last.toString('latin1'));
        else {
          this.socket.cork();
          this.socket.write(head, 'latin1');
          this.socket.write(owned(last));
          this.socket.uncork();
        }
      }
    } else {
      const tail = this.chunkedOut && !this.noBody ? '0\r\n\r\n' : '';
      const head = this.pendingHead;
      this.pendingHead = null;
      if (head !== null || tail !== '') writeWhole(this.socket, (head ?? '') + tail);
    }
    this.finish(ex);
  }

  /** A whole response in one write: the router's own answers (errors, plugin exits). Adds Date and Content-Length. */
  respond(ex: ServerExchange, status: number, lines: string, body: string | Buffer): void {
    if (this.current !== ex || this.started) return;
    this.started = true;
    const noBody = this.noBody || status === 204 || status === 304;
    const len = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    ex.bytes = noBody ? 0 : len;
    const head = `${statusLine(status)}${dateHeader(Date.now())}${lines}${status === 204 || status === 304 ? '' : `Content-Length: ${len}\r\n`}${this.connectionLine()}\r\n`;
    if (noBody || len === 0) writeWhole(this.socket, head);
    else if (typeof body === 'string') {
      if (len === body.length) writeWhole(this.socket, head + body);
      else {
        this.socket.cork();
        this.socket.write(head, 'latin1');
        this.socket.write(body, 'utf8');
        this.socket.uncork();
      }
    } else if (body.length <= SMALL_BODY) writeWhole(this.socket, head + body.toString('latin1'));
    else {
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    }
    this.finish(ex);
  }

  /** Whether the response head was started (headers can no longer change). */
  responding(ex: ServerExchange): boolean {
    return this.current !== ex || this.started;
  }

  /** Stops (or resumes) reading the request body: the upstream cannot take more yet. */
  pauseBody(ex: ServerExchange, paused: boolean): void {
    if (this.current !== ex) return;
    this.pausedByUser = paused;
    this.syncPaused();
  }

  /** The response to `ex` ends the connection (a request body refused midway cannot be skipped). */
  closeAfterResponse(ex: ServerExchange): void {
    if (this.current === ex) this.closeAfter = true;
  }

  /** Cuts the connection (a response that cannot be completed). The exchange hears onDone(true). */
  destroy(): void {
    this.socket.destroy();
  }

  private connectionLine(): string {
    // A client waiting for "100 Continue" may or may not send its body now: the connection cannot be reused.
    if (this.head!.expectContinue && !this.continueSent && !this.bodyDone) this.closeAfter = true;
    if (this.closeAfter) return 'Connection: close\r\n';
    return this.head!.version === 10 ? 'Connection: keep-alive\r\n' : '';
  }

  private finish(ex: ServerExchange): void {
    this.responseDone = true;
    this.current = null;
    this.since = now();
    // A body the exchange had paused (upstream backpressure, no connection yet) is now read and dropped.
    if (this.pausedByUser) {
      this.pausedByUser = false;
      this.syncPaused();
    }
    ex.onDone(false);
    if (this.closeAfter) {
      this.socket.end();
      return;
    }
    if (this.bodyDone) this.nextRequest();
    // Otherwise the rest of the body is read and dropped (onBody), then the next request is parsed.
  }

  private nextRequest(): void {
    this.head = undefined;
    if (this.closing) {
      this.socket.end();
      return;
    }
    if (this.pausedByPipeline) {
      this.pausedByPipeline = false;
      this.syncPaused();
    }
    try {
      this.parser.next();
    } catch (err) {
      this.parseFailed(err);
    }
  }

  private syncPaused(): void {
    const want = this.pausedByUser || this.pausedByPipeline;
    if (want && !this.socket.isPaused()) this.socket.pause();
    else if (!want && this.socket.isPaused()) this.socket.resume();
  }

  private handOff(head: RequestHead): void {
    const s = this.socket;
    stopListening(s);
    delete s._c;
    this.handler.upgrade(this, head, s, this.parser.takeRest());
    connections.remove(this);
  }

  /** Feeds socket bytes to the parser. */
  data(chunk: Buffer): void {
    if (this.responseDone && this.parser.buffered === 0) this.since = now();
    try {
      this.parser.feed(chunk);
    } catch (err) {
      return this.parseFailed(err);
    }
    if (!this.responseDone && !this.parser.inBody && this.parser.buffered > PIPELINE_BUFFER && !this.pausedByPipeline) {
      this.pausedByPipeline = true;
      this.syncPaused();
    }
  }

  /** A malformed request: answered with its 4xx when no response is under way, then the connection closes. */
  parseFailed(err: unknown): void {
    if (!(err instanceof ParseError)) throw err;
    const s = this.socket;
    if (this.current === null && this.responseDone && s.writable) {
      const body = JSON.stringify({ message: `${reason(err.status)}: ${err.message}` });
      s.end(`${statusLine(err.status)}${dateHeader(Date.now())}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'latin1');
    } else s.destroy();
    this.handler.badRequest(this, err);
  }

  /** Timeout sweep: a request head slower than `headMs` gets 408; an idle keep-alive connection past `idleMs` closes. */
  checkTimeouts(now: number, headMs: number, idleMs: number): void {
    if (this.parser.partialHead && this.current === null) {
      if (now - this.since > headMs) this.parseFailed(new ParseError(408, 'request head not received in time'));
    } else if (this.idle && now - this.since > idleMs) this.socket.destroy();
  }

  closed(): void {
    connections.remove(this);
    const ex = this.current;
    if (ex !== null) {
      this.current = null;
      this.responseDone = true;
      ex.onDone(true);
    }
  }
}

/** Every open connection of the worker's servers (for timeouts and shutdown). */
export const connections = new SlotList<ClientConn>();
