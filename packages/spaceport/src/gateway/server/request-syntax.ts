/**
 * The byte-level syntax of HTTP/1.1 request heads (RFC 9110 §5.6.2, RFC 9112): byte classes, the method, and
 * the header lines with the framing facts they carry (Host, Content-Length, Transfer-Encoding, Connection,
 * Upgrade, Expect), strict where leniency would let the gateway and the app read a request differently.
 * Used by the request parser (request-parser.ts), which frames requests and bodies.
 */
import { H, headerId, type RequestHead, STRIDE } from './request-head.js';
import { ParseError } from './parse-error.js';

const MAX_HEADERS = 256;

// Byte classes (RFC 9110 §5.6.2 tchar; field-value: VCHAR, obs-text, SP, HTAB; request-target: VCHAR, obs-text).
export const TOKEN = new Uint8Array(256);
export const VALUE = new Uint8Array(256);
export const TARGET = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  TOKEN[c] = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(ch) ? 1 : 0;
  VALUE[c] = c === 9 || c === 32 || (c > 32 && c < 127) || c >= 128 ? 1 : 0;
  TARGET[c] = (c > 32 && c < 127) || c >= 128 ? 1 : 0;
}
export const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 256; c++) {
  if (c >= 48 && c <= 57) HEX[c] = c - 48;
  else if (c >= 97 && c <= 102) HEX[c] = c - 87;
  else if (c >= 65 && c <= 70) HEX[c] = c - 55;
}

// Common methods as constant strings: a request costs no string for its method.
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'].map((m) => [Buffer.from(m, 'latin1'), m] as const);

export function methodOf(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  for (const [bytes, name] of METHODS) {
    if (bytes.length !== n) continue;
    let i = 0;
    while (i < n && buf[start + i] === bytes[i]) i++;
    if (i === n) return name;
  }
  return buf.toString('latin1', start, end);
}

export const lowerIs = (buf: Buffer, s: number, e: number, word: string): boolean => {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((buf[s + i]! | 0x20) !== word.charCodeAt(i)) return false;
  return true;
};

/** Whether a comma-separated list of tokens in buf[s, e) holds `word` (lower-case letters and '-'), case-insensitively. */
function hasToken(buf: Buffer, s: number, e: number, word: string): boolean {
  let i = s;
  while (i < e) {
    while (i < e && (buf[i] === 32 || buf[i] === 9 || buf[i] === 44)) i++;
    let j = i;
    while (j < e && buf[j] !== 44) j++;
    let k = j;
    while (k > i && (buf[k - 1] === 32 || buf[k - 1] === 9)) k--;
    if (lowerIs(buf, i, k, word)) return true;
    i = j;
  }
  return false;
}

/** Header lines in [pos, end) (end: just past the last line's CRLF); fills head.hdr and the framing facts. */
export function parseHeaderLines(head: RequestHead, buf: Buffer, pos: number, end: number): number {
  const hdr = head.hdr;
  let hosts = 0;
  let te = 0;
  let connection = -1;
  let upgradeHeader = false;
  while (pos < end) {
    if (buf[pos] === 32 || buf[pos] === 9) throw new ParseError(400, 'obsolete line folding (a header line starting with whitespace) is not accepted');
    const ns = pos;
    while (TOKEN[buf[pos]!] === 1) pos++;
    if (pos === ns || buf[pos] !== 58) throw new ParseError(400, pos === ns ? 'bad header line' : 'bad byte in a header name (or whitespace before the colon)');
    const ne = pos++;
    while (buf[pos] === 32 || buf[pos] === 9) pos++;
    const vs = pos;
    let ve = pos;
    for (;;) {
      const c = buf[pos]!;
      if (VALUE[c] === 0) break;
      pos++;
      if (c !== 32 && c !== 9) ve = pos;
    }
    if (buf[pos] !== 13 || buf[pos + 1] !== 10) throw new ParseError(400, 'bad byte in a header value');
    const id = headerId(buf, ns, ne);
    hdr.push(ns, ne, vs, ve, pos, id);
    pos += 2;
    if (hdr.length > MAX_HEADERS * STRIDE) throw new ParseError(431, `more than ${MAX_HEADERS} header fields`);
    switch (id) {
      case H.host:
        if (hosts++ === 0) head.hostAt = hdr.length / STRIDE - 1;
        break;
      case H.contentLength: {
        if (ve === vs || ve - vs > 15) throw new ParseError(400, 'bad Content-Length');
        let n = 0;
        for (let k = vs; k < ve; k++) {
          const d = buf[k]! - 48;
          if (d < 0 || d > 9) throw new ParseError(400, 'bad Content-Length (digits only)');
          n = n * 10 + d;
        }
        if (head.contentLength >= 0 && head.contentLength !== n) throw new ParseError(400, 'conflicting Content-Length headers');
        head.contentLength = n;
        break;
      }
      case H.transferEncoding:
        te++;
        if (!lowerIs(buf, vs, ve, 'chunked')) throw new ParseError(501, 'Transfer-Encoding other than chunked is not supported');
        head.chunked = true;
        break;
      case H.connection:
        connection = hdr.length - STRIDE;
        break;
      case H.upgrade:
        upgradeHeader = true;
        break;
      case H.expect:
        if (!lowerIs(buf, vs, ve, '100-continue')) throw new ParseError(417, 'only Expect: 100-continue is supported');
        head.expectContinue = true;
        break;
    }
  }
  if (hosts > 1) throw new ParseError(400, 'more than one Host header');
  if (hosts === 0 && head.version === 11) throw new ParseError(400, 'missing Host header (required in HTTP/1.1)');
  if (te > 1) throw new ParseError(400, 'more than one Transfer-Encoding header');
  if (head.chunked && head.contentLength >= 0) throw new ParseError(400, 'both Content-Length and Transfer-Encoding (request smuggling)');
  if (head.chunked && head.version === 10) throw new ParseError(400, 'Transfer-Encoding in an HTTP/1.0 request');
  // Every Connection header counts; the common case is none at all.
  let close = false;
  let keepAlive = false;
  if (connection >= 0) {
    for (let k = 0; k < hdr.length; k += STRIDE) {
      if (hdr[k + 5] !== H.connection) continue;
      const s = hdr[k + 2]!;
      const e = hdr[k + 3]!;
      if (hasToken(buf, s, e, 'close')) close = true;
      if (hasToken(buf, s, e, 'keep-alive')) keepAlive = true;
      if (upgradeHeader && hasToken(buf, s, e, 'upgrade')) head.upgrade = true;
    }
  }
  head.keepAlive = !close && (head.version === 11 || keepAlive);
  return pos;
}
