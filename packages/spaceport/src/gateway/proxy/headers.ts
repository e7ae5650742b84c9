/**
 * Building the headers of a forwarded request and of the response to the client, from raw header arrays
 * (no per-request objects). Hop-by-hop headers are dropped; the router's own headers are set here and a
 * client can never supply them (X-Internal-API-Key above all).
 */
import type { Exchange } from './exchange.js';

/** Headers the router owns or that are hop-by-hop: never copied from the client. */
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'host',
  'x-internal-api-key',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-request-start',
  'via',
  'expect',
]);

// Header values set by plugins must not smuggle a line break into the upstream request.
const clean = (v: string) => (v.indexOf('\n') < 0 && v.indexOf('\r') < 0 ? v : v.replace(/[\r\n]+/g, ' '));

const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

const REQUEST_ID_RE = /^[A-Za-z0-9+=/_.-]{20,200}$/;

/** Heroku keeps a client's X-Request-Id when it is 20–200 of these characters; otherwise a new one is made. */
export function validRequestId(id: string | undefined): boolean {
  return id !== undefined && REQUEST_ID_RE.test(id);
}

/** Scans raw headers once for what routing and logging need. */
export function readRequestFacts(ex: Exchange): { xff: string | undefined; via: string | undefined } {
  const raw = ex.req.rawHeaders;
  let xff: string | undefined;
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    switch (name.length) {
      case 3:
        if (name.toLowerCase() === 'via') via = via === undefined ? raw[i + 1] : `${via}, ${raw[i + 1]}`;
        break;
      case 4:
        if (name.toLowerCase() === 'host' && ex.host === '') ex.host = raw[i + 1]!;
        break;
      case 6:
        if (name.toLowerCase() === 'accept') ex.accept = raw[i + 1];
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') ex.contentLength = Number(raw[i + 1]);
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') ex.chunkedBody = true;
        break;
      case 12:
        if (name.toLowerCase() === 'x-request-id' && ex.requestId === '' && validRequestId(raw[i + 1])) ex.requestId = raw[i + 1]!;
        break;
      case 15:
        if (name.toLowerCase() === 'x-forwarded-for') xff = xff === undefined ? raw[i + 1] : `${xff}, ${raw[i + 1]}`;
        break;
    }
  }
  return { xff, via };
}

/**
 * Header-name lengths as a bit mask (bit n: some name of length n; names of 31+ chars share bit 31): a
 * name is lower-cased (and looked up) only when its length could match a name we act on. A number rather
 * than a Set, so requests with plugin header changes allocate nothing for it.
 */
const lengthBit = (len: number) => 1 << (len < 31 ? len : 31);
const lengthsOf = (names: Iterable<string>) => {
  let mask = 0;
  for (const n of names) mask |= lengthBit(n.length);
  return mask;
};
const DROP_REQUEST_LENGTHS = lengthsOf(DROP_REQUEST);
const DROP_RESPONSE_LENGTHS = lengthsOf(DROP_RESPONSE);

function changedLengths(set: Map<string, string> | null, remove: Set<string> | null): number {
  let mask = 0;
  if (set !== null) for (const k of set.keys()) mask |= lengthBit(k.length);
  if (remove !== null) for (const k of remove) mask |= lengthBit(k.length);
  return mask;
}

/**
 * The forwarded request's header lines (each ending in CRLF), without Host: the Host line is put first per
 * attempt, since it depends on the dyno when the route does not preserve the client's.
 */
export function buildRequestHeaders(ex: Exchange, key: string, xff: string | undefined, via: string | undefined): string {
  const raw = ex.req.rawHeaders;
  const remove = ex.reqRemove;
  const set = ex.reqSet;
  const changed = changedLengths(set, remove);
  let out = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (((DROP_REQUEST_LENGTHS | changed) & lengthBit(name.length)) !== 0) {
      const lower = name.toLowerCase();
      if (DROP_REQUEST.has(lower)) continue;
      if (remove !== null && remove.has(lower)) continue;
      if (set !== null && set.has(lower)) continue;
    }
    out += `${name}: ${raw[i + 1]}\r\n`;
  }
  if (set !== null) for (const [k, v] of set) if (!DROP_REQUEST.has(k)) out += `${k}: ${clean(v)}\r\n`;
  return `${out}X-Request-Id: ${ex.requestId}\r\nX-Forwarded-For: ${xff === undefined ? ex.ip : `${xff}, ${ex.ip}`}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${ex.port}\r\nX-Request-Start: ${ex.start}\r\nVia: ${via === undefined ? '1.1 spaceport' : `${via}, 1.1 spaceport`}\r\nX-Internal-API-Key: ${key}\r\n`;
}

/** The client's response headers: the upstream's minus hop-by-hop ones, with plugin changes applied. */
export function buildResponseHeaders(ex: Exchange, raw: string[]): string[] {
  const remove = ex.resRemove;
  const set = ex.resSet;
  if (set === null && remove === null) {
    let hopFree = true;
    for (let i = 0; i < raw.length; i += 2) if ((DROP_RESPONSE_LENGTHS & lengthBit(raw[i]!.length)) !== 0 && DROP_RESPONSE.has(raw[i]!.toLowerCase())) hopFree = false;
    if (hopFree) return raw;
  }
  const changed = changedLengths(set, remove);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (((DROP_RESPONSE_LENGTHS | changed) & lengthBit(name.length)) !== 0) {
      const lower = name.toLowerCase();
      if (DROP_RESPONSE.has(lower)) continue;
      if (remove !== null && remove.has(lower)) continue;
      if (set !== null && set.has(lower)) continue;
    }
    out.push(name, raw[i + 1]!);
  }
  if (set !== null) for (const [k, v] of set) out.push(k, clean(v));
  return out;
}

/** The request head as one string: request line, Host, the other headers, blank line. */
export function requestHead(method: string, path: string, host: string, lines: string): string {
  return `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${lines}\r\n`;
}

/** A request header by lower-case name, scanning the raw headers (no headers object is built). */
export function rawHeader(raw: string[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === lower.length && n.toLowerCase() === lower) return raw[i + 1];
  }
  return undefined;
}
