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
import { RequestHead } from './request-head.js';
import { ParseError } from './parse-error.js';
import { HEX, methodOf, parseHeaderLines, TARGET, TOKEN, VALUE } from './request-syntax.js';

export { ParseError };

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
const MAX_CHUNK_LINE = 4096;

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

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
    i = parseHeaderLines(head, buf, i + 2, end + 2);
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
}
