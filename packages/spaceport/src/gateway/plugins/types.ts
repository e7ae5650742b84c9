/**
 * The plugin contract. A plugin is a factory that validates its options when it is built and returns a
 * handler `{ name, priority, access?, response?, log? }`. Handlers see only this small context API, never
 * gateway internals, so the proxy can change without touching a plugin.
 */

/** The client request as plugins see it; changes apply to what is sent upstream. */
export interface PluginRequest {
  readonly method: string;
  /** Path as received, without the query string. */
  readonly path: string;
  /** Query string without `?` ('' when none). */
  readonly rawQuery: string;
  /** Client address (the TCP peer). */
  readonly ip: string;
  /** Content-Length of the request body, or undefined when not given. */
  readonly contentLength: number | undefined;
  /** A header (name in lower case); the first value when repeated. */
  header(name: string): string | undefined;
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
  /** Headers as name (lower case) → value, after changes. */
  headers(): Record<string, string>;
  query(): URLSearchParams;
  setQuery(query: URLSearchParams): void;
  /**
   * Refuses a body that streams past `bytes` (one sent without Content-Length, in chunks): the upstream
   * request is cut and the client gets 413 and a closed connection, or only the closed connection when the
   * upstream's answer had already started.
   */
  limitBody(bytes: number): void;
}

/** The response to the client. Headers set in `access` are added to the upstream's response. */
export interface PluginResponse {
  /** Status sent to the client (0 before the upstream answered). */
  readonly status: number;
  header(name: string): string | undefined;
  /** Every response header (name in lower case), after changes. */
  headers(): Record<string, string>;
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
  /** Short-circuits the request in `access`: nothing is proxied. */
  exit(status: number, body?: unknown, headers?: Record<string, string>): void;
  /** Asks for the whole upstream body once it has been sent (proxy-cache); called in `response`. */
  collectBody(done: (body: Buffer) => void): void;
}

export interface PluginConsumer {
  readonly id: string;
  readonly username: string;
  readonly groups: readonly string[];
}

export interface PluginLogger {
  warn(message: string): void;
}

export interface PluginContext {
  readonly request: PluginRequest;
  readonly response: PluginResponse;
  /** The authenticated consumer, once an auth plugin set it. */
  consumer: PluginConsumer | undefined;
  /** Set by an auth plugin for the consumer's credential (never the secret itself). */
  credential: string | undefined;
  /** Names of the matched route and service ('' on the internal router). */
  readonly route: string;
  readonly service: string;
  /** Milliseconds since the request arrived (in `log`: total latency). */
  elapsed(): number;
  readonly log: PluginLogger;
  /** Per-request scratch space shared between plugins. */
  readonly shared: Map<string, unknown>;
}

/** What a plugin may look up when it is built: consumers and their credentials, and the metrics registry. */
export interface PluginEnv {
  /** Stable id of this plugin instance (the same in every worker): a prefix for shared counter keys. */
  instanceId: string;
  /** Counters shared by all gateway workers (fixed windows), for node-wide limits. */
  counters: Counters;
  consumerByKey(key: string): PluginConsumer | undefined;
  consumerByBasic(username: string, password: string): PluginConsumer | undefined;
  consumerByName(usernameOrId: string): PluginConsumer | undefined;
  metrics: Metrics;
}

export interface Counters {
  /** Adds one to `key` in the window starting at `windowStart` (ms); returns the count before. */
  take(key: string, windowStart: number, windowMs: number): number;
  /** The count in that window, without adding. */
  peek(key: string, windowStart: number): number;
}

/** Counters and histograms in the worker, summed over workers on /metrics. */
export interface Metrics {
  inc(name: string, labels: string, by?: number): void;
  observe(name: string, labels: string, value: number, buckets: readonly number[]): void;
}

export interface PluginHandler {
  readonly name: string;
  /** Higher runs first in every phase (Kong's PRIORITY). */
  readonly priority: number;
  /** Before proxying: authenticate, limit, rewrite, or exit. May return a promise. */
  access?(ctx: PluginContext): void | Promise<void>;
  /** When the upstream's status and headers are known, before they are sent to the client. */
  response?(ctx: PluginContext): void;
  /** After the response was sent. */
  log?(ctx: PluginContext): void;
}

/** A plugin's factory: `config` has already passed the plugin's schema. Throws on options it cannot use. */
export type PluginFactory<C = Record<string, unknown>> = (config: C, env: PluginEnv) => PluginHandler;
