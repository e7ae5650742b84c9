/**
 * A small HTTP/1.1 response parser for upstream connections: status line and headers, then a body
 * framed by Content-Length, chunked encoding (decoded) or the end of the connection. It skips 1xx
 * interim responses and knows which responses have no body (HEAD, 204, 304). Sans-IO: feed it bytes.
 */

/** Per header in ResponseHead.offs: line start, the colon, value start, value end, line end (the CR). */
export const RSTRIDE = 5;

export class ResponseHead {
  private _raw: string[] | undefined = undefined;
  constructor(
    readonly status: number,
    /** Body length when framed by Content-Length, -1 otherwise. */
    readonly contentLength: number,
    readonly chunked: boolean,
    /** The connection may carry another request after this response. */
    readonly keepAlive: boolean,
    /** The upstream's `Keep-Alive: timeout=N` in ms (how long it keeps an idle connection), -1 when not said. */
    readonly keepAliveMs: number,
    /** The head as received (latin1), its header lines included with their CRLF; lines are forwarded as slices of it. */
    readonly text: string,
    /** RSTRIDE offsets into `text` per header: no string per header unless someone asks (plugins, rawHeaders). */
    readonly offs: number[],
    /** Bit h set: header h (h < 31) is hop-by-hop; `hopLate`: one at index 31 or later (check names then). */
    readonly hop: number,
    readonly hopLate: boolean,
    readonly hasDate: boolean,
  ) {}

  get headerCount(): number {
    return this.offs.length / RSTRIDE;
  }

  nameOf(i: number): string {
    return this.text.slice(this.offs[i * RSTRIDE]!, this.offs[i * RSTRIDE + 1]!);
  }

  /** Header names and values as received, flattened like IncomingMessage.rawHeaders (built on first use). */
  get rawHeaders(): string[] {
    if (this._raw !== undefined) return this._raw;
    const out: string[] = [];
    const o = this.offs;
    for (let k = 0; k < o.length; k += RSTRIDE) out.push(this.text.slice(o[k]!, o[k + 1]!), this.text.slice(o[k + 2]!, o[k + 3]!));
    return (this._raw = out);
  }
}

export interface ParserSink {
  onHead(head: ResponseHead): void;
  /** Body bytes, borrowed: they may live in a read buffer reused after this call (copy what you keep). */
  onBody(chunk: Buffer): void;
  onEnd(): void;
}

const enum Phase {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkCrlf,
  Trailers,
  UntilClose,
  Done,
}

const MAX_HEAD = 64 * 1024;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** "HTTP/1.x NNN" then the end of the line or a space. */
function statusLineOk(text: string, eol: number): boolean {
  return (
    eol >= 12 &&
    text.startsWith('HTTP/1.', 0) &&
    (text.charCodeAt(7) === 48 || text.charCodeAt(7) === 49) &&
    text.charCodeAt(8) === 32 &&
    isDigit(text.charCodeAt(9)) &&
    isDigit(text.charCodeAt(10)) &&
    isDigit(text.charCodeAt(11)) &&
    (eol === 12 || text.charCodeAt(12) === 32)
  );
}
/** Whether text[start, start + lower.length) is `lower` (a lower-case name: letters and '-'), case-insensitively. */
function nameIs(text: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}
const CONNECTION = 1;
const KEEP_ALIVE = 2;
const TRANSFER_ENCODING = 3;
const OTHER_HOP = 4;
/** Which hop-by-hop header a name of length `n` at `start` is (0: none). */
function hopByHop(text: string, start: number, n: number): number {
  if (n === 10) return nameIs(text, start, 'connection') ? CONNECTION : nameIs(text, start, 'keep-alive') ? KEEP_ALIVE : 0;
  if (n === 17) return nameIs(text, start, 'transfer-encoding') ? TRANSFER_ENCODING : 0;
  if (n === 7) return nameIs(text, start, 'trailer') || nameIs(text, start, 'upgrade') ? OTHER_HOP : 0;
  return nameIs(text, start, 'proxy-connection') ? OTHER_HOP : 0;
}
const isOws = (c: number) => c === 32 || c === 9;

// An upstream sends the same Keep-Alive value on every response: the last one is remembered (compared in place).
let lastKeepAlive = '';
let lastKeepAliveMs = -1;
/** `timeout=N` of the Keep-Alive header value text[vs, ve) in ms, -1 when absent. */
function keepAliveTimeout(text: string, vs: number, ve: number): number {
  if (!text.startsWith(lastKeepAlive, vs) || ve - vs !== lastKeepAlive.length) {
    const value = text.slice(vs, ve);
    const t = /(?:^|[\s,])timeout=(\d+)/i.exec(value);
    lastKeepAlive = value;
    lastKeepAliveMs = t === null ? -1 : Number(t[1]) * 1000;
  }
  return lastKeepAliveMs;
}

/** The unparsed rest of a read, copied: the bytes fed in may be a read buffer that is reused. */
const keep = (buf: Buffer, off: number): Buffer => Buffer.from(buf.subarray(off));

export class ResponseParser {
  private phase = Phase.Head;
  private pending: Buffer | null = null;
  private remaining = 0;
  private noBody = false;
  sink: ParserSink | null = null;
  /** Whether the current response has ended (the connection is idle again). */
  done = true;

  /** Starts a new response; `head` requests expect no body. */
  reset(sink: ParserSink, isHead: boolean): void {
    this.sink = sink;
    this.phase = Phase.Head;
    this.pending = null;
    this.noBody = isHead;
    this.done = false;
  }

  /** True while a body framed by the connection's end is being read. */
  get readsUntilClose(): boolean {
    return this.phase === Phase.UntilClose;
  }

  /** Feeds bytes; throws on a malformed response. Returns bytes left over after the response (protocol error if any). */
  feed(data: Buffer): void {
    const buf = this.pending === null ? data : Buffer.concat([this.pending, data]);
    this.pending = null;
    let off = 0;
    while (off < buf.length) {
      switch (this.phase) {
        case Phase.Head: {
          const end = buf.indexOf('\r\n\r\n', off, 'latin1');
          if (end < 0) {
            if (buf.length - off > MAX_HEAD) throw new Error('upstream response head too large');
            this.pending = keep(buf, off);
            return;
          }
          // The text keeps the last header line's CRLF: lines are forwarded as slices of it.
          const head = this.parseHead(buf.toString('latin1', off, end + 2));
          off = end + 4;
          if (head.status < 200) break; // 1xx: another head follows
          this.sink!.onHead(head);
          if (this.noBody || head.status === 204 || head.status === 304) {
            this.finish();
          } else if (head.chunked) this.phase = Phase.ChunkSize;
          else if (head.contentLength >= 0) {
            this.remaining = head.contentLength;
            if (this.remaining === 0) this.finish();
            else this.phase = Phase.Length;
          } else this.phase = Phase.UntilClose;
          break;
        }
        case Phase.Length: {
          const n = Math.min(this.remaining, buf.length - off);
          this.sink!.onBody(buf.subarray(off, off + n));
          off += n;
          this.remaining -= n;
          if (this.remaining === 0) this.finish();
          break;
        }
        case Phase.ChunkSize: {
          const eol = buf.indexOf('\r\n', off, 'latin1');
          if (eol < 0) {
            if (buf.length - off > 1024) throw new Error('bad chunk size line');
            this.pending = keep(buf, off);
            return;
          }
          const line = buf.toString('latin1', off, eol);
          const semi = line.indexOf(';');
          const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error('bad chunk size');
          this.remaining = parseInt(hex, 16);
          off = eol + 2;
          this.phase = this.remaining === 0 ? Phase.Trailers : Phase.ChunkData;
          break;
        }
        case Phase.ChunkData: {
          const n = Math.min(this.remaining, buf.length - off);
          this.sink!.onBody(buf.subarray(off, off + n));
          off += n;
          this.remaining -= n;
          if (this.remaining === 0) this.phase = Phase.ChunkCrlf;
          break;
        }
        case Phase.ChunkCrlf: {
          if (buf.length - off < 2) {
            this.pending = keep(buf, off);
            return;
          }
          if (buf[off] !== 13 || buf[off + 1] !== 10) throw new Error('bad chunk terminator');
          off += 2;
          this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.Trailers: {
          // Trailers are dropped; they end with an empty line.
          const eol = buf.indexOf('\r\n', off, 'latin1');
          if (eol < 0) {
            this.pending = keep(buf, off);
            return;
          }
          const empty = eol === off;
          off = eol + 2;
          if (empty) this.finish();
          break;
        }
        case Phase.UntilClose:
          this.sink!.onBody(off === 0 ? buf : buf.subarray(off));
          return;
        case Phase.Done:
          throw new Error('upstream sent bytes after its response');
      }
      if ((this.phase as Phase) === Phase.Done && off < buf.length) throw new Error('upstream sent bytes after its response');
    }
  }

  /** The connection closed: ends a body read until close; anything else is an incomplete response. */
  close(): boolean {
    if (this.phase === Phase.UntilClose) {
      this.finish();
      return true;
    }
    return false;
  }

  private finish(): void {
    this.phase = Phase.Done;
    this.done = true;
    const s = this.sink!;
    this.sink = null;
    s.onEnd();
  }

  // Index-based (no split, no string per header): this runs once per proxied response. Names are compared
  // in place, and only those of a length acted on here.
  private parseHead(text: string): ResponseHead {
    let eol = text.indexOf('\r\n');
    if (eol < 0) eol = text.length;
    if (!statusLineOk(text, eol)) throw new Error('bad upstream status line');
    const http10 = text.charCodeAt(7) === 48; /* 0 */
    const status = (text.charCodeAt(9) - 48) * 100 + (text.charCodeAt(10) - 48) * 10 + (text.charCodeAt(11) - 48);
    const offs: number[] = [];
    let contentLength = -1;
    let chunked = false;
    let conn = '';
    let keepAliveMs = -1;
    let hop = 0;
    let hopLate = false;
    let hasDate = false;
    const len = text.length;
    for (let pos = eol + 2, h = 0; pos < len; h++) {
      // The line ends at its first CR, which must be followed by LF; a bare CR or LF inside a line would split
      // the head we send on (response splitting).
      let c = -1;
      let end = pos;
      for (; end < len; end++) {
        const ch = text.charCodeAt(end);
        if (ch === 13 || ch === 10) break;
        if (ch === 58 && c < 0) c = end;
      }
      if (end < len && (text.charCodeAt(end) !== 13 || text.charCodeAt(end + 1) !== 10)) throw new Error('bare CR or LF in an upstream header line');
      if (c <= pos) throw new Error('bad upstream header line');
      let vs = c + 1;
      let ve = end;
      while (vs < ve && isOws(text.charCodeAt(vs))) vs++;
      while (ve > vs && isOws(text.charCodeAt(ve - 1))) ve--;
      offs.push(pos, c, vs, ve, end);
      const start = pos;
      pos = end + 2;
      switch (c - start) {
        case 4:
          if (nameIs(text, start, 'date')) hasDate = true;
          break;
        case 14:
          if (nameIs(text, start, 'content-length')) {
            let n = 0;
            for (let k = vs; k < ve; k++) {
              const d = text.charCodeAt(k) - 48;
              if (d < 0 || d > 9) throw new Error('bad upstream Content-Length');
              n = n * 10 + d;
            }
            if (ve === vs || ve - vs > 15 || (contentLength >= 0 && contentLength !== n)) throw new Error('bad upstream Content-Length');
            contentLength = n;
          }
          break;
        case 7: // trailer, upgrade
        case 10: // connection, keep-alive
        case 16: // proxy-connection
        case 17: {
          // transfer-encoding
          const which = hopByHop(text, start, c - start);
          if (which === 0) break;
          if (h < 31) hop |= 1 << h;
          else hopLate = true;
          if (which === CONNECTION) conn = text.slice(vs, ve).toLowerCase();
          else if (which === KEEP_ALIVE) keepAliveMs = keepAliveTimeout(text, vs, ve);
          else if (which === TRANSFER_ENCODING) chunked = /(^|,)\s*chunked\s*$/i.test(text.slice(vs, ve));
          break;
        }
      }
    }
    if (chunked) contentLength = -1;
    const keepAlive = http10 ? conn.includes('keep-alive') : !conn.includes('close');
    return new ResponseHead(status, contentLength, chunked, keepAlive && (chunked || contentLength >= 0), keepAliveMs, text, offs, hop, hopLate, hasDate);
  }
}
