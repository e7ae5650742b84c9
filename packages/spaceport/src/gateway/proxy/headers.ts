/**
 * Building the headers of a forwarded request and of the response to the client, from raw header arrays
 * (no per-request objects). Hop-by-hop headers are dropped; the router's own headers are set here and a
 * client can never supply them (X-Internal-API-Key above all).
 */
import type { Exchange } from './exchange.js';
import { RSTRIDE, type ResponseHead } from './response-parser.js';
import { H, KNOWN, latin1, STRIDE } from '../server/request-head.js';
import { dateHeader } from '../server/response-head.js';

/**
 * Request headers the router drops: hop-by-hop ones and those it sets itself, never copied from the client
 * (X-Internal-API-Key above all). A bit per header id for the received lines; the same names as a set for
 * the headers plugins set.
 */
const DROP_IDS = [H.connection, H.keepAlive, H.proxyConnection, H.te, H.trailer, H.upgrade, H.host, H.internalKey, H.requestId, H.forwardedFor, H.forwardedProto, H.forwardedPort, H.requestStart, H.via, H.expect].reduce((m, id) => m | (1 << id), 0);
const DROP_REQUEST: ReadonlySet<string> = new Set(KNOWN.filter((_, i) => ((DROP_IDS >> (i + 1)) & 1) === 1));

// Header values set by plugins must not smuggle a line break into the upstream request.
const clean = (v: string) => (v.indexOf('\n') < 0 && v.indexOf('\r') < 0 ? v : v.replace(/[\r\n]+/g, ' '));

const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

const REQUEST_ID_RE = /^[A-Za-z0-9+=/_.-]{20,200}$/;

/** Heroku keeps a client's X-Request-Id when it is 20–200 of these characters; otherwise a new one is made. */
export function validRequestId(id: string | undefined): boolean {
  return id !== undefined && REQUEST_ID_RE.test(id);
}

/** Reads, by header id (no name strings), what routing and logging need. */
export function readRequestFacts(ex: Exchange): { xff: string | undefined; via: string | undefined } {
  const req = ex.req;
  const hdr = req.hdr;
  let xff: string | undefined;
  let via: string | undefined;
  for (let k = 0, i = 0; k < hdr.length; k += STRIDE, i++) {
    switch (hdr[k + 5]) {
      case H.via:
        via = via === undefined ? req.valueOf(i) : `${via}, ${req.valueOf(i)}`;
        break;
      case H.host:
        if (ex.host === '') ex.host = req.valueOf(i);
        break;
      case H.accept:
        ex.accept = req.valueOf(i);
        break;
      case H.requestId:
        if (ex.requestId === '') {
          const v = req.valueOf(i);
          if (validRequestId(v)) ex.requestId = v;
        }
        break;
      case H.forwardedFor:
        xff = xff === undefined ? req.valueOf(i) : `${xff}, ${req.valueOf(i)}`;
        break;
    }
  }
  if (req.contentLength >= 0) ex.contentLength = req.contentLength;
  ex.chunkedBody = req.chunked;
  return { xff, via };
}



/**
 * The forwarded request's header lines (each ending in CRLF), without Host: the Host line is put first per
 * attempt, since it depends on the dyno when the route does not preserve the client's. Runs of kept lines
 * are copied from the received bytes as one slice each.
 */
export function buildRequestHeaders(ex: Exchange, key: string, xff: string | undefined, via: string | undefined): string {
  const req = ex.req;
  const hdr = req.hdr;
  const buf = req.buf;
  const edits = ex.reqEdits;
  let out = '';
  let runStart = -1;
  let runEnd = -1;
  for (let k = 0, i = 0; k < hdr.length; k += STRIDE, i++) {
    let keep = ((DROP_IDS >> hdr[k + 5]!) & 1) === 0;
    if (keep && edits !== null && edits.mayHave(hdr[k + 1]! - hdr[k]!) && edits.has(req.nameOf(i).toLowerCase())) keep = false;
    if (keep) {
      if (runStart < 0) runStart = hdr[k]!;
      runEnd = hdr[k + 4]! + 2;
    } else if (runStart >= 0) {
      out += latin1(buf, runStart, runEnd);
      runStart = -1;
    }
  }
  if (runStart >= 0) out += latin1(buf, runStart, runEnd);
  if (edits !== null) {
    for (let i = 0; i < edits.names.length; i++) {
      const v = edits.values[i];
      if (v !== null && !DROP_REQUEST.has(edits.names[i]!)) out += `${edits.names[i]}: ${clean(v!)}\r\n`;
    }
  }
  return `${out}X-Request-Id: ${ex.requestId}\r\nX-Forwarded-For: ${xff === undefined ? ex.ip : `${xff}, ${ex.ip}`}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${ex.port}\r\nX-Request-Start: ${ex.start}\r\nVia: ${via === undefined ? '1.1 spaceport' : `${via}, 1.1 spaceport`}\r\nX-Internal-API-Key: ${key}\r\n`;
}

/**
 * The client's response header lines: the upstream's minus hop-by-hop ones, with plugin changes applied,
 * and a Date when the upstream sent none. Runs of kept lines are sliced from the received head.
 */
export function responseHeaderLines(ex: Exchange, head: ResponseHead, now: number): string {
  const edits = ex.resEdits;
  const o = head.offs;
  const text = head.text;
  let out = '';
  let runStart = -1;
  let runEnd = -1;
  for (let h = 0, k = 0; k < o.length; h++, k += RSTRIDE) {
    const nameLength = o[k + 1]! - o[k]!;
    let keep = h < 31 ? ((head.hop >> h) & 1) === 0 : !(head.hopLate && DROP_RESPONSE.has(head.nameOf(h).toLowerCase()));
    if (keep && edits !== null && edits.mayHave(nameLength) && edits.has(head.nameOf(h).toLowerCase())) keep = false;
    if (keep) {
      if (runStart < 0) runStart = o[k]!;
      runEnd = o[k + 4]! + 2;
    } else if (runStart >= 0) {
      out += text.slice(runStart, runEnd);
      runStart = -1;
    }
  }
  if (runStart >= 0) out += text.slice(runStart, runEnd);
  if (edits !== null) {
    for (let i = 0; i < edits.names.length; i++) {
      const v = edits.values[i];
      if (v !== null) out += `${edits.names[i]}: ${clean(v!)}\r\n`;
    }
  }
  return head.hasDate ? out : dateHeader(now) + out;
}



/** The request head as one string: request line, Host, the other headers, blank line. */
export function requestHead(method: string, path: string, host: string, lines: string): string {
  return `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${lines}\r\n`;
}

