/**
 * A sans-IO HTTP/1.1 request parser for the gateway's client side: feed it bytes; it reports one request
 * at a time (head, decoded body chunks, end) and keeps pipelined bytes until the caller asks for the next
 * request with next(). Index-based over the Buffer (no split, no per-request regex or closure).
 *
 * Strict wherever leniency lets a request be read differently by the gateway and the app behind it
 * (request smuggling, RFC 9112 §6.3 and §11.2), and a 4xx says what was wrong:
 * - both Content-Length and Transfer-Encoding, a Content-Length that is not digits or differs between
 *   repeats, Transfer-Encoding on HTTP/1.0, more than one Transfer-Encoding → 400; a coding other than
 *   `chunked` → 501;
 * - obs-fold (a header line starting with a space or tab), whitespace before the colon, a control byte in a
 *   name or value, a bare CR or LF, a missing or repeated Host (HTTP/1.1) → 400;
 * - a method that is not a token, a bad request target or version → 400; HTTP/2+ on this port → 505;
 * - a head over `maxHead` bytes (or over MAX_HEADERS headers) → 431; an Expect other than 100-continue → 417.
 */
import { H, headerId, RequestHead, STRIDE } from './request-head.js';

export class ParseError extends Error {
  constructor(
    /** The status to answer with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestSink {
  /** A request head is complete. Body chunks (if any) follow, then onBodyEnd. */
  onHead(head: RequestHead): void;
  onBody(chunk: Buffer): void;
  onBodyEnd(): void;
}

const enum Phase {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkCrlf,
  Trailers,
  /** The request is complete: waiting for next(). */
  Idle,
  /** An upgrade request: the rest of the bytes belong to the new protocol (takeRest). */
  Upgraded,
  Failed,
}

export const MAX_HEAD = 16 * 1024;
const MAX_HEADERS = 256;
const MAX_CHUNK_LINE = 4096;

// Byte classes (RFC 9110 §5.6.2 tchar; field-value: VCHAR, obs-text, SP, HTAB; request-target: VCHAR, obs-text).
const TOKEN = new Uint8Array(256);
const VALUE = new Uint8Array(256);
const TARGET = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  TOKEN[c] = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(ch) ? 1 : 0;
  VALUE[c] = c === 9 || c === 32 || (c > 32 && c < 127) || c >= 128 ? 1 : 0;
  TARGET[c] = (c > 32 && c < 127) || c >= 128 ? 1 : 0;
}
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 256; c++) {
  if (c >= 48 && c <= 57) HEX[c] = c - 48;
  else if (c >= 97 && c <= 102) HEX[c] = c - 87;
  else if (c >= 65 && c <= 70) HEX[c] = c - 55;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

// Common methods as constant strings: a request costs no string for its method.
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'].map((m) => [Buffer.from(m, 'latin1'), m] as const);

function methodOf(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  for (const [bytes, name] of METHODS) {
    if (bytes.length !== n) continue;
    let i = 0;
    while (i < n && buf[start + i] === bytes[i]) i++;
    if (i === n) return name;
  }
  return buf.toString('latin1', start, end);
}

const lowerIs = (buf: Buffer, s: number, e: number, word: string): boolean => {
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

export class RequestParser {
  private phase = Phase.Head;
  private buf: Buffer = EMPTY;
  private off = 0;
  /** Where the search for the end of a partial head resumes. */
  private scanned = 0;
  private remaining = 0;
  private running = false;
  private sink: RequestSink;
  head: RequestHead | undefined = undefined;

  constructor(
    sink: RequestSink,
    private readonly maxHead = MAX_HEAD,
  ) {
    this.sink = sink;
  }

  /** Bytes received and not yet parsed (pipelined requests wait here). */
  get buffered(): number {
    return this.buf.length - this.off;
  }

  /** True between a head and the end of its body. */
  get inBody(): boolean {
    return this.phase >= Phase.Length && this.phase <= Phase.Trailers;
  }

  /** True when a request head has begun arriving but is not complete. */
  get partialHead(): boolean {
    return this.phase === Phase.Head && this.buf.length > this.off;
  }

  /** Feeds bytes; throws ParseError on a malformed request (the parser is then unusable). */
  feed(data: Buffer): void {
    if (this.phase === Phase.Failed) return;
    if (this.off >= this.buf.length) {
      this.buf = data;
      this.off = 0;
      this.scanned = 0;
    } else {
      // Keep only the unparsed tail (a head in progress or pipelined requests), then append.
      const rest = this.buf.subarray(this.off);
      this.scanned -= this.off;
      this.buf = Buffer.concat([rest, data]);
      this.off = 0;
    }
    this.run();
  }

  /** The current request was answered: parse the next one from what is buffered. */
  next(): void {
    if (this.phase !== Phase.Idle) return;
    this.phase = Phase.Head;
    this.head = undefined;
    this.run();
  }

  /** After an upgrade head: the bytes that followed it (the new protocol's first bytes). */
  takeRest(): Buffer {
    const rest = this.buf.subarray(this.off);
    this.buf = EMPTY;
    this.off = 0;
    return rest;
  }

  private run(): void {
    // next() from inside a sink callback lands here: the running loop picks the next request up.
    if (this.running) return;
    this.running = true;
    try {
      while (this.step());
    } catch (err) {
      this.phase = Phase.Failed;
      throw err;
    } finally {
      this.running = false;
    }
  }

  /** One step of the state machine; false when it must wait (for bytes or for next()). */
  private step(): boolean {
    const buf = this.buf;
    const avail = buf.length - this.off;
    switch (this.phase) {
      case Phase.Head:
        return avail > 0 && this.parseHead();
      case Phase.Length: {
        if (avail === 0) return false;
        const n = Math.min(this.remaining, avail);
        const chunk = n === buf.length ? buf : buf.subarray(this.off, this.off + n);
        this.off += n;
        this.remaining -= n;
        if (this.remaining === 0) this.phase = Phase.Idle;
        this.sink.onBody(chunk);
        if (this.remaining === 0) this.sink.onBodyEnd();
        return true;
      }
      case Phase.ChunkSize:
        return this.parseChunkSize();
      case Phase.ChunkData: {
        if (avail === 0) return false;
        const n = Math.min(this.remaining, avail);
        const chunk = buf.subarray(this.off, this.off + n);
        this.off += n;
        this.remaining -= n;
        if (this.remaining === 0) this.phase = Phase.ChunkCrlf;
        this.sink.onBody(chunk);
        return true;
      }
      case Phase.ChunkCrlf:
        if (avail < 2) return false;
        if (buf[this.off] !== 13 || buf[this.off + 1] !== 10) throw new ParseError(400, 'a chunk of the chunked body does not end with CRLF');
        this.off += 2;
        this.phase = Phase.ChunkSize;
        return true;
      case Phase.Trailers: {
        // Trailer fields are read and dropped (never forwarded); they end with an empty line.
        const eol = buf.indexOf(10, this.off);
        if (eol < 0) {
          if (avail > this.maxHead) throw new ParseError(431, 'chunked trailer section too large');
          return false;
        }
        if (eol === this.off || buf[eol - 1] !== 13) throw new ParseError(400, 'bare LF in the chunked trailer section');
        for (let i = this.off; i < eol - 1; i++) if (VALUE[buf[i]!] === 0 && buf[i] !== 58) throw new ParseError(400, 'control byte in a trailer field');
        const empty = eol === this.off + 1;
        this.off = eol + 1;
        if (empty) {
          this.phase = Phase.Idle;
          this.sink.onBodyEnd();
        }
        return true;
      }
      default:
        return false;
    }
  }

  private parseChunkSize(): boolean {
    const buf = this.buf;
    const from = this.off;
    let i = from;
    let size = 0;
    while (i < buf.length && HEX[buf[i]!]! >= 0) {
      size = size * 16 + HEX[buf[i]!]!;
      if (++i - from > 12) throw new ParseError(400, 'chunk size too large');
    }
    const digits = i - from;
    if (i === buf.length) return false;
    if (digits === 0) throw new ParseError(400, 'bad chunk size in the chunked body');
    // chunk-size [BWS ";" chunk-ext] CRLF: extensions are checked for control bytes and dropped.
    while (i < buf.length && (buf[i] === 32 || buf[i] === 9)) i++;
    if (i < buf.length && buf[i] === 59) {
      while (i < buf.length && buf[i] !== 13) {
        const c = buf[i]!;
        if (c !== 9 && (c < 32 || c === 127)) throw new ParseError(400, 'bad byte in a chunk extension');
        i++;
      }
    }
    if (i - from > MAX_CHUNK_LINE) throw new ParseError(400, 'chunk size line too long');
    if (i + 1 >= buf.length) return false;
    if (buf[i] !== 13 || buf[i + 1] !== 10) throw new ParseError(400, 'bad chunk size line in the chunked body');
    this.off = i + 2;
    this.remaining = size;
    this.phase = size === 0 ? Phase.Trailers : Phase.ChunkData;
    return true;
  }

  private parseHead(): boolean {
    const buf = this.buf;
    let start = this.off;
    // RFC 9112 §2.2: ignore empty lines before a request line.
    while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
    if (start !== this.off) {
      this.off = start;
      this.scanned = Math.max(this.scanned, start);
    }
    const end = buf.indexOf(CRLFCRLF, Math.max(start, this.scanned - 3));
    if (end < 0 || end - start > this.maxHead) {
      if (buf.length - start > this.maxHead) throw new ParseError(431, `request head larger than ${this.maxHead} bytes`);
      // A bare-LF head ("\n\n") would otherwise wait for a CRLFCRLF that never comes.
      if (buf.indexOf(10, start) >= 0) {
        for (let i = start; i < buf.length; i++) if (buf[i] === 10 && (i === start || buf[i - 1] !== 13)) throw new ParseError(400, 'bare LF in the request head');
      }
      this.scanned = buf.length;
      return false;
    }
    // Request line: method SP request-target SP HTTP-version.
    let i = start;
    while (TOKEN[buf[i]!] === 1) i++;
    if (i === start || buf[i] !== 32) throw new ParseError(400, 'bad request method');
    const method = methodOf(buf, start, i);
    const ts = ++i;
    while (TARGET[buf[i]!] === 1) i++;
    if (i === ts || buf[i] !== 32) throw new ParseError(400, 'bad request target');
    const url = buf.toString('latin1', ts, i);
    const vs = ++i;
    const version = this.version(buf, vs);
    i = vs + 8;
    if (buf[i] !== 13 || buf[i + 1] !== 10) throw new ParseError(400, 'bad request line');
    if (method === 'CONNECT') throw new ParseError(400, 'CONNECT is not supported by the gateway');
    const hdr: number[] = [];
    const head = new RequestHead(buf, method, url, version, hdr);
    i = this.parseHeaders(head, buf, i + 2, end + 2);
    this.off = end + 4;
    this.scanned = 0;
    this.head = head;
    if (head.upgrade) this.phase = Phase.Upgraded;
    else if (head.chunked) this.phase = Phase.ChunkSize;
    else if (head.contentLength > 0) {
      this.phase = Phase.Length;
      this.remaining = head.contentLength;
    } else this.phase = Phase.Idle;
    this.sink.onHead(head);
    if (this.phase === Phase.Idle) this.sink.onBodyEnd();
    return this.phase !== Phase.Upgraded;
  }

  private version(buf: Buffer, vs: number): number {
    // "HTTP/1.1" or "HTTP/1.0".
    if (buf[vs] === 72 && buf[vs + 1] === 84 && buf[vs + 2] === 84 && buf[vs + 3] === 80 && buf[vs + 4] === 47 && buf[vs + 6] === 46) {
      const major = buf[vs + 5]! - 48;
      const minor = buf[vs + 7]! - 48;
      if (major === 1 && (minor === 0 || minor === 1)) return 10 + minor;
      if (major >= 2 && major <= 9 && minor >= 0 && minor <= 9) throw new ParseError(505, 'HTTP version not supported (HTTP/1.1 or 1.0 only)');
    }
    throw new ParseError(400, 'bad HTTP version');
  }

  /** Header lines in [pos, end) (end: just past the last line's CRLF); fills head.hdr and the framing facts. */
  private parseHeaders(head: RequestHead, buf: Buffer, pos: number, end: number): number {
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
}
