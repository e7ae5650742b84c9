/**
 * One request through the router: its state, and the plugin context it presents. Handlers for socket
 * and stream events are module-level functions that find the exchange on the emitter, so a request
 * allocates no closures on the hot path.
 */
import { now } from '../clock.js';
import type { CompiledService, RouteValue } from '../compile.js';
import type { PluginConsumer, PluginContext, PluginLogger } from '../plugins/types.js';
import type { RouterError } from './errors.js';
import type { Member } from './upstream.js';
import type { ConnUser, UpstreamConn } from './conn.js';
import type { ResponseHead } from './response-parser.js';
import { RequestView, ResponseView } from './plugin-views.js';
import type { HeaderEdits } from './header-edits.js';
import type { ClientConn, ServerExchange } from '../server/client-conn.js';
import type { RequestHead } from '../server/request-head.js';

export const kEx = Symbol('spaceport.exchange');
export type WithExchange<T> = T & { [kEx]?: Exchange };

export interface PluginExit {
  status: number;
  body: unknown;
  headers: Record<string, string> | undefined;
}

/** The client's and the upstream's callbacks, installed by forward.ts (keeps this file free of the proxy logic). */
export interface UpstreamEvents {
  onHead(ex: Exchange, head: ResponseHead): void;
  onBody(ex: Exchange, chunk: Buffer): void;
  onEnd(ex: Exchange): void;
  onFlush(ex: Exchange): void;
  onConnError(ex: Exchange, err: NodeJS.ErrnoException, connected: boolean, reused: boolean): void;
  onClientBody(ex: Exchange, chunk: Buffer): void;
  onClientBodyEnd(ex: Exchange): void;
  onDone(ex: Exchange, aborted: boolean): void;
  onWritable(ex: Exchange): void;
}

export class Exchange implements PluginContext, ConnUser, ServerExchange {
  static events: UpstreamEvents;
  // Request facts.
  readonly start: number;
  method: string;
  path: string;
  rawQuery: string;
  ip: string;
  host: string;
  requestId: string;
  accept: string | undefined;
  upstreamPath = '';
  /** The worker's router context (typed in forward.ts), for module-level event handlers. */
  rc: unknown = undefined;
  // Routing.
  value: RouteValue | undefined = undefined;
  service: string = '';
  route: string = '';
  // Upstream progress.
  member: Member | undefined = undefined;
  attempts = 0;
  /** The next attempt was delayed once already (see attempt() in forward.ts). */
  backedOff = false;
  /** Waiting in its upstream group's queue for a connection under the service's max_conns. */
  queued = false;
  conn: UpstreamConn | undefined = undefined;
  upHead: ResponseHead | undefined = undefined;
  private _upHeaders: Record<string, string> | undefined = undefined;
  /** Position in forward.ts's in-flight list (a SlotList), -1 when not waiting on an upstream. */
  slot = -1;
  /** Read deadline (ms since epoch): H12 before the response head, an abort after it. */
  deadline = 0;
  /** Body bytes received from the upstream; the response to the client was ended with the last of them. */
  received = 0;
  resEnded = false;
  /** The client sent a chunked body, forwarded chunked. */
  chunkedBody = false;
  /** Content-Length of the client's request, if given. */
  contentLength: number | undefined = undefined;
  sentAt = 0;
  respondedAt = 0;
  status = 0;
  bytes = 0;
  dyno = '';
  error: RouterError | undefined = undefined;
  /** The socket error code of the last failed upstream attempt (ECONNREFUSED, ECONNRESET, ...), for the router line. */
  connErr = '';
  done = false;
  /** Request body kept for a retry; null once it grew past the limit (no replay then). */
  body: Buffer[] | null = [];
  /** Request body chunks that arrived before the first attempt had a connection. */
  early: Buffer[] | null = null;
  earlySize = 0;
  /** The upstream socket is paused until the client drains. */
  upPaused = false;
  bodySize = 0;
  bodyEnded = false;
  /** Request body bytes received so far, and the most a plugin allows (-1: no limit; see limitBody). */
  bodyTotal = 0;
  bodyLimit = -1;
  /** Header lines sent upstream, without Host (see headers.ts). */
  outHeaders: string | undefined = undefined;
  // Plugin state.
  consumer: PluginConsumer | undefined = undefined;
  credential: string | undefined = undefined;
  /** Plugin changes to the forwarded request's and to the response's headers (null: none). */
  reqEdits: HeaderEdits | null = null;
  resEdits: HeaderEdits | null = null;
  exit: PluginExit | undefined = undefined;
  collectors: ((body: Buffer) => void)[] | undefined = undefined;
  private _shared: Map<string, unknown> | undefined = undefined;
  private _request: RequestView | undefined = undefined;
  private _response: ResponseView | undefined = undefined;

  constructor(
    readonly req: RequestHead,
    /** The client connection this request came on; it serves only this exchange until it is done. */
    readonly client: ClientConn,
    readonly port: number,
    readonly logger: PluginLogger,
  ) {
    this.start = now();
    this.method = req.method;
    const url = req.url;
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.rawQuery = q < 0 ? '' : url.slice(q + 1);
    this.ip = client.ip;
    this.host = '';
    this.requestId = '';
    this.accept = undefined;
    client.attach(this);
  }

  get compiledService(): CompiledService {
    return this.value!.service;
  }
  get request(): RequestView {
    return (this._request ??= new RequestView(this));
  }
  get response(): ResponseView {
    return (this._response ??= new ResponseView(this));
  }
  get shared(): Map<string, unknown> {
    return (this._shared ??= new Map());
  }
  get log(): PluginLogger {
    return this.logger;
  }
  elapsed(): number {
    return Date.now() - this.start;
  }
  /** Upstream response headers by lower-case name (built on first use, for plugins). */
  upHeaders(): Record<string, string> {
    if (this._upHeaders !== undefined) return this._upHeaders;
    const out: Record<string, string> = {};
    const raw = this.upHead?.rawHeaders ?? [];
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i]!.toLowerCase();
      out[k] = out[k] === undefined ? raw[i + 1]! : `${out[k]}, ${raw[i + 1]}`;
    }
    return (this._upHeaders = out);
  }
  onHead(head: ResponseHead): void {
    Exchange.events.onHead(this, head);
  }
  onBody(chunk: Buffer): void {
    Exchange.events.onBody(this, chunk);
  }
  onEnd(): void {
    Exchange.events.onEnd(this);
  }
  onFlush(): void {
    Exchange.events.onFlush(this);
  }
  onConnError(err: NodeJS.ErrnoException, connected: boolean, reused: boolean): void {
    Exchange.events.onConnError(this, err, connected, reused);
  }
  // The client side (ServerExchange).
  onRequestBody(chunk: Buffer): void {
    Exchange.events.onClientBody(this, chunk);
  }
  onRequestEnd(): void {
    Exchange.events.onClientBodyEnd(this);
  }
  onDone(aborted: boolean): void {
    Exchange.events.onDone(this, aborted);
  }
  onWritable(): void {
    Exchange.events.onWritable(this);
  }
}
