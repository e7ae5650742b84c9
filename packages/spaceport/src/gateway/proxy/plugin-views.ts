/**
 * The plugin context's request and response views over an exchange. They record changes (header sets and
 * removals, a new query) that the proxy applies when it builds the upstream request and the response.
 */
import type { PluginRequest, PluginResponse } from '../plugins/types.js';
import type { Exchange } from './exchange.js';

/**
 * Lower-cased header names, cached: plugins pass the same mixed-case names (X-RateLimit-Limit-Second,
 * X-Consumer-ID) on every request, and each toLowerCase of them was a new string. Bounded.
 */
const lowerCache = new Map<string, string>();
function lower(name: string): string {
  let l = lowerCache.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (lowerCache.size < 1024) lowerCache.set(name, l);
  }
  return l;
}

export class RequestView implements PluginRequest {
  constructor(private readonly ex: Exchange) {}
  get method(): string {
    return this.ex.method;
  }
  get path(): string {
    return this.ex.path;
  }
  get rawQuery(): string {
    return this.ex.rawQuery;
  }
  get ip(): string {
    return this.ex.ip;
  }
  get contentLength(): number | undefined {
    return this.ex.contentLength;
  }
  header(name: string): string | undefined {
    const n = lower(name);
    const ex = this.ex;
    if (ex.reqSet !== null && ex.reqSet.has(n)) return ex.reqSet.get(n);
    if (ex.reqRemove !== null && ex.reqRemove.has(n)) return undefined;
    return ex.req.header(n);
  }
  setHeader(name: string, value: string): void {
    const n = lower(name);
    (this.ex.reqSet ??= new Map()).set(n, value);
    this.ex.reqRemove?.delete(n);
  }
  removeHeader(name: string): void {
    const n = lower(name);
    (this.ex.reqRemove ??= new Set()).add(n);
    this.ex.reqSet?.delete(n);
  }
  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    const all = this.ex.req.headers;
    for (const k in all) if (!this.ex.reqRemove?.has(k)) out[k] = all[k]!;
    if (this.ex.reqSet) for (const [k, v] of this.ex.reqSet) out[k] = v;
    return out;
  }
  query(): URLSearchParams {
    return new URLSearchParams(this.ex.rawQuery);
  }
  setQuery(query: URLSearchParams): void {
    this.ex.rawQuery = query.toString();
  }
}

export class ResponseView implements PluginResponse {
  constructor(private readonly ex: Exchange) {}
  get status(): number {
    return this.ex.status;
  }
  header(name: string): string | undefined {
    const n = lower(name);
    const ex = this.ex;
    if (ex.resSet !== null && ex.resSet.has(n)) return ex.resSet.get(n);
    if (ex.resRemove !== null && ex.resRemove.has(n)) return undefined;
    return ex.upHead === undefined ? undefined : ex.upHeaders()[n];
  }
  headers(): Record<string, string> {
    const out: Record<string, string> = {};
    const up = this.ex.upHead === undefined ? {} : this.ex.upHeaders();
    for (const [k, v] of Object.entries(up)) if (!this.ex.resRemove?.has(k)) out[k] = v;
    if (this.ex.resSet) for (const [k, v] of this.ex.resSet) out[k] = v;
    return out;
  }
  setHeader(name: string, value: string): void {
    const n = lower(name);
    (this.ex.resSet ??= new Map()).set(n, value);
    this.ex.resRemove?.delete(n);
  }
  removeHeader(name: string): void {
    const n = lower(name);
    (this.ex.resRemove ??= new Set()).add(n);
    this.ex.resSet?.delete(n);
  }
  exit(status: number, body?: unknown, headers?: Record<string, string>): void {
    this.ex.exit = { status, body, headers };
  }
  collectBody(done: (body: Buffer) => void): void {
    (this.ex.collectors ??= []).push(done);
  }
}
