/**
 * A parsed request head: the request line as strings, every header as offsets into the bytes it arrived
 * in. A header's name or value becomes a string only when someone reads it, and the proxy forwards runs
 * of untouched header lines as one slice. Headers the gateway acts on get a small id while parsing (a
 * length switch and a byte compare), so nobody lower-cases names per request.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Node's Buffer has these (undocumented, stable since v0.x); toString('latin1', …) adds argument checks. */
export type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };
export const latin1 = (buf: Buffer, start: number, end: number): string => (buf as Latin1Buffer).latin1Slice(start, end);

/** Headers with an id (H.*): the ones HTTP framing and the router act on. Order defines the ids. */
export const KNOWN = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'expect',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'x-internal-api-key',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-request-start',
  'via',
  'accept',
] as const;

export const H = {
  other: 0,
  host: 1,
  contentLength: 2,
  transferEncoding: 3,
  connection: 4,
  upgrade: 5,
  expect: 6,
  keepAlive: 7,
  proxyConnection: 8,
  te: 9,
  trailer: 10,
  internalKey: 11,
  requestId: 12,
  forwardedFor: 13,
  forwardedProto: 14,
  forwardedPort: 15,
  requestStart: 16,
  via: 17,
  accept: 18,
} as const;

/** Known names by length: [lower-case bytes, id][]. */
const BY_LENGTH: [Uint8Array, number][][] = [];
KNOWN.forEach((name, i) => (BY_LENGTH[name.length] ??= []).push([Buffer.from(name, 'latin1'), i + 1]));

/** Case-insensitive compare of buf[start, start+lower.length) with lower-case ASCII `lower` (letters, digits, '-'). */
export function eqLower(buf: Uint8Array, start: number, lower: Uint8Array): boolean {
  // `| 0x20` folds A-Z onto a-z; digits and '-' already have the bit set, and the only other bytes it
  // could fold onto them are control bytes, which never pass the token check of a header name.
  for (let i = 0; i < lower.length; i++) if ((buf[start + i]! | 0x20) !== lower[i]) return false;
  return true;
}

/** The id of a header name at buf[start, end), 0 when it is none of KNOWN. */
export function headerId(buf: Uint8Array, start: number, end: number): number {
  const cands = BY_LENGTH[end - start];
  if (cands === undefined) return 0;
  for (let i = 0; i < cands.length; i++) if (eqLower(buf, start, cands[i]![0])) return cands[i]![1];
  return 0;
}

/** Stride of RequestHead.hdr: name start, name end (the colon), value start, value end, line end (CR), id. */
export const STRIDE = 6;

export class RequestHead {
  /** Content-Length of the body, -1 when the request has none. */
  contentLength = -1;
  chunked = false;
  /** The connection may carry another request after this one (HTTP/1.1 default, 1.0 with keep-alive). */
  keepAlive = true;
  /** `Connection: upgrade` with an `Upgrade` header: handed to the WebSocket path. */
  upgrade = false;
  expectContinue = false;
  /** Index in hdr/STRIDE of the first Host header, -1 when none. */
  hostAt = -1;
  private _raw: string[] | undefined = undefined;
  private _headers: Record<string, string> | undefined = undefined;

  constructor(
    /** The bytes the head was parsed from; never written to. */
    readonly buf: Buffer,
    readonly method: string,
    /** Request target as received (path and query). */
    readonly url: string,
    /** 10 or 11. */
    readonly version: number,
    /** STRIDE numbers per header (see STRIDE). */
    readonly hdr: number[],
  ) {}

  get headerCount(): number {
    return this.hdr.length / STRIDE;
  }

  nameOf(i: number): string {
    const h = this.hdr;
    return latin1(this.buf, h[i * STRIDE]!, h[i * STRIDE + 1]!);
  }

  valueOf(i: number): string {
    const h = this.hdr;
    return latin1(this.buf, h[i * STRIDE + 2]!, h[i * STRIDE + 3]!);
  }

  idOf(i: number): number {
    return this.hdr[i * STRIDE + 5]!;
  }

  /** The first value of a header by lower-case name (ASCII), compared as bytes: no string per header. */
  header(lower: string): string | undefined {
    const h = this.hdr;
    const buf = this.buf;
    const n = lower.length;
    outer: for (let i = 0; i < h.length; i += STRIDE) {
      const s = h[i]!;
      if (h[i + 1]! - s !== n) continue;
      for (let j = 0; j < n; j++) {
        const c = buf[s + j]!;
        if ((c >= 65 && c <= 90 ? c | 0x20 : c) !== lower.charCodeAt(j)) continue outer;
      }
      return latin1(buf, h[i + 2]!, h[i + 3]!);
    }
    return undefined;
  }

  /** Names and values as received, flattened like IncomingMessage.rawHeaders (built on first use). */
  get rawHeaders(): string[] {
    if (this._raw !== undefined) return this._raw;
    const out: string[] = [];
    for (let i = 0; i < this.headerCount; i++) out.push(this.nameOf(i), this.valueOf(i));
    return (this._raw = out);
  }

  /** Lower-case name → value, repeated headers joined with ", " (built on first use: routes with header conditions, plugins). */
  get headers(): IncomingHttpHeaders & Record<string, string> {
    if (this._headers !== undefined) return this._headers;
    const out: Record<string, string> = {};
    for (let i = 0; i < this.headerCount; i++) {
      const k = this.nameOf(i).toLowerCase();
      const v = this.valueOf(i);
      out[k] = out[k] === undefined ? v : `${out[k]}, ${v}`;
    }
    return (this._headers = out);
  }
}
