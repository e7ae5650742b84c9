/**
 * A plugin context over plain values, for each plugin's handler.test.ts: it implements the same small
 * API the proxy gives plugins, and records what the plugin changed.
 */
import { MetricsRegistry } from '../metrics.js';
import { localCounters } from '../compile.js';
import type { PluginConsumer, PluginContext, PluginEnv, PluginRequest, PluginResponse } from './types.js';

export interface TestRequest {
  method?: string;
  path?: string;
  query?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export interface TestContext extends PluginContext {
  reqHeaders: Map<string, string>;
  resHeaders: Map<string, string>;
  exited: { status: number; body: unknown; headers: Record<string, string> } | undefined;
  collected: ((b: Buffer) => void)[];
  /** The limit a plugin put on a streamed body (request.limitBody), if any. */
  bodyLimit: number | undefined;
  setStatus(status: number): void;
}

export function testContext(r: TestRequest = {}): TestContext {
  const reqHeaders = new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const resHeaders = new Map<string, string>();
  let rawQuery = r.query ?? '';
  let status = 0;
  const start = Date.now();
  const ctx: TestContext = {
    reqHeaders,
    resHeaders,
    exited: undefined,
    collected: [],
    bodyLimit: undefined,
    setStatus: (s) => (status = s),
    consumer: undefined,
    credential: undefined,
    route: 'route',
    service: 'service',
    shared: new Map(),
    log: { warn: () => {} },
    elapsed: () => Date.now() - start,
    request: undefined as unknown as PluginRequest,
    response: undefined as unknown as PluginResponse,
  };
  const request: PluginRequest = {
    method: r.method ?? 'GET',
    path: r.path ?? '/',
    get rawQuery() {
      return rawQuery;
    },
    ip: r.ip ?? '127.0.0.1',
    get contentLength() {
      const v = reqHeaders.get('content-length');
      return v === undefined ? undefined : Number(v);
    },
    header: (n) => reqHeaders.get(n.toLowerCase()),
    setHeader: (n, v) => void reqHeaders.set(n.toLowerCase(), v),
    removeHeader: (n) => void reqHeaders.delete(n.toLowerCase()),
    headers: () => Object.fromEntries(reqHeaders),
    query: () => new URLSearchParams(rawQuery),
    setQuery: (q) => (rawQuery = q.toString()),
    limitBody: (n) => void (ctx.bodyLimit = n),
  };
  const response: PluginResponse = {
    get status() {
      return status;
    },
    header: (n) => resHeaders.get(n.toLowerCase()),
    headers: () => Object.fromEntries(resHeaders),
    setHeader: (n, v) => void resHeaders.set(n.toLowerCase(), v),
    removeHeader: (n) => void resHeaders.delete(n.toLowerCase()),
    exit: (s, body, headers) => {
      ctx.exited = { status: s, body, headers: headers ?? {} };
    },
    collectBody: (done) => void ctx.collected.push(done),
  };
  Object.assign(ctx, { request, response });
  return ctx;
}

/** A plugin env with the given consumers (`keys` and `basic` credentials). */
export function testEnv(consumers: { username: string; keys?: string[]; basic?: [string, string][]; groups?: string[] }[] = []): PluginEnv & { metrics: MetricsRegistry } {
  const list = consumers.map((c) => ({ c, pc: { id: `id-${c.username}`, username: c.username, groups: c.groups ?? [] } as PluginConsumer }));
  return {
    consumerByKey: (k) => list.find((x) => x.c.keys?.includes(k))?.pc,
    consumerByBasic: (u, p) => list.find((x) => x.c.basic?.some(([a, b]) => a === u && b === p))?.pc,
    consumerByName: (n) => list.find((x) => x.c.username === n || x.pc.id === n)?.pc,
    metrics: new MetricsRegistry(),
    counters: localCounters(),
    instanceId: 'test',
  };
}
