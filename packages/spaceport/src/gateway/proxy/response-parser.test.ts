import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParser, RSTRIDE, type ResponseHead } from './response-parser.js';

function run(chunks: string[], isHead = false) {
  const p = new ResponseParser();
  const out: { head?: ResponseHead; body: string; ended: boolean } = { body: '', ended: false };
  p.reset({ onHead: (h) => (out.head = h), onBody: (b) => (out.body += b.toString('latin1')), onEnd: () => (out.ended = true) }, isHead);
  for (const c of chunks) p.feed(Buffer.from(c, 'latin1'));
  return { out, p };
}

test('content-length body split across reads', () => {
  const { out } = run(['HTTP/1.1 200 OK\r\nContent-Le', 'ngth: 5\r\nX-A: 1\r\n\r\nhe', 'llo']);
  assert.equal(out.head?.status, 200);
  assert.deepEqual(out.head?.rawHeaders, ['Content-Length', '5', 'X-A', '1']);
  assert.equal(out.body, 'hello');
  assert.equal(out.ended, true);
  assert.equal(out.head?.keepAlive, true);
});

test('chunked body decoded byte by byte, trailers dropped', () => {
  const raw = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
  const { out } = run(raw.split(''));
  assert.equal(out.body, 'hello world');
  assert.equal(out.ended, true);
  assert.equal(out.head?.chunked, true);
});

test('1xx heads are skipped; 204, 304 and HEAD have no body', () => {
  const { out } = run(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n']);
  assert.equal(out.head?.status, 204);
  assert.equal(out.ended, true);
  const head = run(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'], true);
  assert.equal(head.out.ended, true);
});

test('a body without framing is read until close and the connection is not reused', () => {
  const { out, p } = run(['HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc', 'def']);
  assert.equal(out.head?.keepAlive, false);
  assert.equal(out.ended, false);
  assert.equal(p.close(), true);
  assert.equal(out.body, 'abcdef');
  assert.equal(out.ended, true);
});

test('malformed responses throw', () => {
  assert.throws(() => run(['HTTP/9 200 OK\r\n\r\n']), /status line/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n']), /Content-Length/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']), /chunk size/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab']), /after its response/);
});

test('Keep-Alive: timeout=N is reported in ms (how long the upstream keeps an idle connection)', () => {
  assert.equal(run(['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=2\r\nContent-Length: 0\r\n\r\n']).out.head?.keepAliveMs, 2000);
  assert.equal(run(['HTTP/1.1 200 OK\r\nKeep-Alive: max=100, Timeout=7\r\nContent-Length: 0\r\n\r\n']).out.head?.keepAliveMs, 7000);
  assert.equal(run(['HTTP/1.1 200 OK\r\nKeep-Alive: max=5\r\nContent-Length: 0\r\n\r\n']).out.head?.keepAliveMs, -1);
  assert.equal(run(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']).out.head?.keepAliveMs, -1);
});

test('hop-by-hop headers are marked by index, Date noticed, and each line located in the head text', () => {
  const { out } = run(['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nDate: x\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n']);
  const h = out.head!;
  assert.equal(h.hop, (1 << 1) | (1 << 3));
  assert.equal(h.hasDate, true);
  // Offsets per header (RSTRIDE): line start, colon, value start, value end, line end.
  assert.equal(h.text.slice(h.offs[0], h.offs[4]), 'Content-Type: text/plain');
  assert.equal(h.text.slice(h.offs[2], h.offs[3]), 'text/plain');
  assert.equal(h.text.slice(h.offs[4 * RSTRIDE], h.offs[4 * RSTRIDE + 4]), 'Content-Length: 0');
  assert.equal(h.nameOf(1), 'Connection');
  assert.equal(h.keepAliveMs, 5000);
});

test('a bare CR or LF inside an upstream header line, or a bad status line, is an error (no response splitting)', () => {
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nX-A: a\nSet-Cookie: evil\r\nContent-Length: 0\r\n\r\n']), /bare CR or LF/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n']), /bare CR or LF/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nX-A: a\r\rContent-Length: 0\r\n\r\n']), /bare CR or LF/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nX-A a\r\nContent-Length: 0\r\n\r\n']), /bad upstream header line/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\n: a\r\nContent-Length: 0\r\n\r\n']), /bad upstream header line/);
  assert.throws(() => run(['HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n']), /status line/);
  assert.throws(() => run(['HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n']), /status line/);
  assert.throws(() => run(['HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n']), /Content-Length/);
  assert.equal(run(['HTTP/1.1 204\r\n\r\n']).out.head?.status, 204);
});

test('every header line, the last one too, ends with its CRLF in the head text', () => {
  const h = run(['HTTP/1.1 200 OK\r\nDate: x\r\nContent-Length: 0\r\n\r\n']).out.head!;
  assert.equal(h.text.slice(h.offs[RSTRIDE], h.offs[RSTRIDE + 4]! + 2), 'Content-Length: 0\r\n');
  assert.deepEqual(h.rawHeaders, ['Date', 'x', 'Content-Length', '0']);
});

test('bytes fed from one reused read buffer: a partial head or chunk line is kept as a copy', () => {
  // Upstream sockets read into one shared buffer (conn.ts): what the parser holds over must survive reuse.
  const shared = Buffer.alloc(64);
  const p = new ResponseParser();
  const out = { status: 0, body: '' };
  p.reset({ onHead: (h) => (out.status = h.status), onBody: (b) => (out.body += b.toString('latin1')), onEnd: () => {} }, false);
  const feed = (s: string) => {
    shared.fill(0x78);
    const n = shared.write(s, 'latin1');
    p.feed(shared.subarray(0, n));
  };
  for (const part of ['HTTP/1.1 201 Created\r\nTransfer-Enc', 'oding: chunked\r\n\r\n1', '0\r\n0123456789', 'abcdef\r\n0\r\n\r', '\n']) feed(part);
  assert.equal(out.status, 201);
  assert.equal(out.body, '0123456789abcdef');
});
