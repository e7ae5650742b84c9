/**
 * The plugin context's request and response views over an exchange. They record changes (header sets and
 * removals, a new query) that the proxy applies when it builds the upstream request and the response.
 */
import type { PluginRequest, PluginResponse } from '../plugins/types.js';
import type { Exchange } from './exchange.js';
import { HeaderEdits } from './header-edits.js';

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
    const edit = ex.reqEdits === null ? undefined : ex.reqEdits.get(n);
    if (edit !== undefined) return edit ?? undefined;
    return ex.req.header(n);
  }
  setHeader(name: string, value: string): void {
    (this.ex.reqEdits ??= new HeaderEdits()).set(lower(name), value);
  }
  removeHeader(name: string): void {
    (this.ex.reqEdits ??= new HeaderEdits()).set(lower(name), null);
  }
  headers(): Record<string, string> {
    return applyEdits(this.ex.req.headers, this.ex.reqEdits);
  }
  query(): URLSearchParams {
    return new URLSearchParams(this.ex.rawQuery);
  }
  setQuery(query: URLSearchParams): void {
    this.ex.rawQuery = query.toString();
  }
  limitBody(bytes: number): void {
    this.ex.bodyLimit = bytes;
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
    const edit = ex.resEdits === null ? undefined : ex.resEdits.get(n);
    if (edit !== undefined) return edit ?? undefined;
    return ex.upHead === undefined ? undefined : ex.upHeaders()[n];
  }
  headers(): Record<string, string> {
    return applyEdits(this.ex.upHead === undefined ? {} : this.ex.upHeaders(), this.ex.resEdits);
  }
  setHeader(name: string, value: string): void {
    (this.ex.resEdits ??= new HeaderEdits()).set(lower(name), value);
  }
  removeHeader(name: string): void {
    (this.ex.resEdits ??= new HeaderEdits()).set(lower(name), null);
  }
  exit(status: number, body?: unknown, headers?: Record<string, string>): void {
    this.ex.exit = { status, body, headers };
  }
  collectBody(done: (body: Buffer) => void): void {
    (this.ex.collectors ??= []).push(done);
  }
}

/** Headers by lower-case name with the edits applied (a new object). */
function applyEdits(headers: Record<string, string>, edits: HeaderEdits | null): Record<string, string> {
  const out: Record<string, string> = { ...headers };
  if (edits === null) return out;
  for (let i = 0; i < edits.names.length; i++) {
    const v = edits.values[i];
    if (v === null) delete out[edits.names[i]!];
    else out[edits.names[i]!] = v!;
  }
  return out;
}
