import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError, RequestParser } from './request-parser.js';
import type { RequestHead } from './request-head.js';

interface Req {
  head: RequestHead;
  body: string;
  ended: boolean;
}

/** A parser whose requests are collected; `auto` calls next() after each request (a server that answers at once). */
function collect(auto = true) {
  const reqs: Req[] = [];
  const p: RequestParser = new RequestParser({
    onHead: (head) => reqs.push({ head, body: '', ended: false }),
    onBody: (c) => (reqs.at(-1)!.body += c.toString('latin1')),
    onBodyEnd: () => {
      reqs.at(-1)!.ended = true;
      if (auto) p.next();
    },
  });
  return { p, reqs };
}

const feed = (text: string | string[], auto = true) => {
  const c = collect(auto);
  for (const t of Array.isArray(text) ? text : [text]) c.p.feed(Buffer.from(t, 'latin1'));
  return c;
};

function rejects(text: string, status: number, message?: RegExp): void {
  assert.throws(
    () => feed(text),
    (err: unknown) => {
      assert.ok(err instanceof ParseError, String(err));
      assert.equal(err.status, status, `${JSON.stringify(text.slice(0, 60))}: ${err.message}`);
      if (message) assert.match(err.message, message);
      return true;
    },
  );
}

test('a simple GET: method, url, version, headers by name (case-insensitive), no body', () => {
  const { reqs } = feed('GET /a/b?x=1 HTTP/1.1\r\nHost: example.test\r\nX-Thing:  v a l  \r\napikey:k\r\n\r\n');
  assert.equal(reqs.length, 1);
  const h = reqs[0]!.head;
  assert.equal(h.method, 'GET');
  assert.equal(h.url, '/a/b?x=1');
  assert.equal(h.version, 11);
  assert.equal(h.keepAlive, true);
  assert.equal(h.header('host'), 'example.test');
  assert.equal(h.header('x-thing'), 'v a l');
  assert.equal(h.header('apikey'), 'k');
  assert.equal(h.header('nope'), undefined);
  assert.deepEqual(h.rawHeaders, ['Host', 'example.test', 'X-Thing', 'v a l', 'apikey', 'k']);
  assert.deepEqual(h.headers, { host: 'example.test', 'x-thing': 'v a l', apikey: 'k' });
  assert.equal(reqs[0]!.ended, true);
});

test('a head split across many small chunks, and leading empty lines', () => {
  const text = '\r\nPOST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello';
  const { reqs } = feed(text.split(''));
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0]!.head.method, 'POST');
  assert.equal(reqs[0]!.body, 'hello');
  assert.equal(reqs[0]!.ended, true);
});

test('pipelining: requests are reported one at a time, the next only after next()', () => {
  const two = 'GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: h\r\n\r\n';
  const c = feed(two, false);
  assert.deepEqual(
    c.reqs.map((r) => r.head.url),
    ['/1'],
  );
  assert.ok(c.p.buffered > 0);
  c.p.next();
  assert.deepEqual(
    c.reqs.map((r) => [r.head.url, r.body]),
    [
      ['/1', ''],
      ['/2', 'abc'],
    ],
  );
  c.p.next();
  assert.equal(c.reqs.length, 3);
  assert.equal(c.p.buffered, 0);
  // With a server that answers at once, all three come out of one feed.
  assert.equal(feed(two).reqs.length, 3);
});

test('chunked bodies are decoded: sizes in hex, extensions and trailers dropped, split anywhere', () => {
  const text = 'POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n5;name=v\r\nhello\r\nA \r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n';
  for (const parts of [[text], text.split('')]) {
    const { reqs } = feed(parts);
    assert.equal(reqs.length, 2);
    assert.equal(reqs[0]!.head.chunked, true);
    assert.equal(reqs[0]!.body, 'hello0123456789');
    assert.equal(reqs[0]!.ended, true);
    assert.equal(reqs[1]!.head.url, '/after');
  }
});

test('Expect: 100-continue is reported; other expectations get 417', () => {
  const { reqs } = feed('PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n');
  assert.equal(reqs[0]!.head.expectContinue, true);
  assert.equal(reqs[0]!.ended, false);
  rejects('PUT /x HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n', 417);
});

test('keep-alive: HTTP/1.1 by default, Connection: close ends it; HTTP/1.0 only with keep-alive', () => {
  const ka = (t: string) => feed(t).reqs[0]!.head.keepAlive;
  assert.equal(ka('GET / HTTP/1.1\r\nHost: h\r\n\r\n'), true);
  assert.equal(ka('GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, Close\r\n\r\n'), false);
  assert.equal(ka('GET / HTTP/1.0\r\n\r\n'), false);
  assert.equal(ka('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'), true);
  assert.equal(ka('GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n'), false);
});

test('upgrade: Connection: upgrade with an Upgrade header stops parsing; the rest is handed over', () => {
  const c = feed('GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00raw');
  assert.equal(c.reqs[0]!.head.upgrade, true);
  assert.equal(c.p.takeRest().toString('latin1'), '\x81\x00raw');
  // An Upgrade header alone is an ordinary request.
  assert.equal(feed('GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n').reqs[0]!.head.upgrade, false);
});

test('request smuggling: framing conflicts are refused', () => {
  rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400, /both Content-Length and Transfer-Encoding/);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', 400, /conflicting/);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n', 501);
  rejects('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n', 400, /before the colon/);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nX: a\r\n Transfer-Encoding: chunked\r\n\r\n', 400, /obsolete line folding/);
  rejects('GET / HTTP/1.1\r\nHost: h\r\nHost: other\r\n\r\n', 400, /more than one Host/);
  rejects('GET / HTTP/1.1\r\n\r\n', 400, /missing Host/);
  // A bad chunk is an error, not a shorter body.
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n', 400);
  rejects('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1234567890123\r\n', 400);
});

test('bad bytes, lines, methods and versions → 400; HTTP/2 → 505; CONNECT → 400', () => {
  rejects('GET / HTTP/1.1\r\nHost: h\r\nX-Bad: a\x01b\r\n\r\n', 400, /header value/);
  rejects('GET / HTTP/1.1\r\nHost: h\r\nX-Bad: a\x7fb\r\n\r\n', 400);
  rejects('GET / HTTP/1.1\r\nHost: h\r\nX-Bad: a\rb\r\n\r\n', 400);
  rejects('GET / HTTP/1.1\r\nHost: h\r\nX\x00Bad: a\r\n\r\n', 400);
  rejects('GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n', 400);
  rejects('GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n', 400);
  rejects('GET / HTTP/1.1\nHost: h\n\n', 400, /bare LF/);
  rejects('GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n', 400);
  rejects('HELLO\x00 WORLD\r\n\r\n', 400);
  rejects('G(T / HTTP/1.1\r\nHost: h\r\n\r\n', 400, /method/);
  rejects('GET /a b HTTP/1.1\r\nHost: h\r\n\r\n', 400);
  rejects('GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n', 400, /target/);
  rejects('GET / HTTP/1.2\r\nHost: h\r\n\r\n', 400, /version/);
  rejects('GET / http/1.1\r\nHost: h\r\n\r\n', 400);
  rejects('GET / HTTP/1.1 \r\nHost: h\r\n\r\n', 400);
  rejects('GET /\r\n\r\n', 400);
  rejects('GET / HTTP/2.0\r\nHost: h\r\n\r\n', 505);
  rejects('CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n', 400, /CONNECT/);
  // obs-text in values is allowed (it is latin1 data, not a control byte).
  assert.equal(feed('GET / HTTP/1.1\r\nHost: h\r\nX: caf\xe9\r\n\r\n').reqs[0]!.head.header('x'), 'caf\xe9');
});

test('oversized heads → 431, also when they arrive in pieces; a head just under the limit passes', () => {
  rejects(`GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431);
  assert.throws(() => feed(['GET / HTTP/1.1\r\nHost: h\r\nX-Big: ', 'a'.repeat(10_000), 'a'.repeat(10_000)]), (e: unknown) => e instanceof ParseError && e.status === 431);
  rejects(`GET / HTTP/1.1\r\nHost: h\r\n${'X: y\r\n'.repeat(300)}\r\n`, 431);
  assert.equal(feed(`GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(15_000)}\r\n\r\n`).reqs.length, 1);
});

test('a Content-Length body split across chunks, then the next request', () => {
  const { reqs } = feed(['POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234', '567', '89GET /n HTTP/1.1\r\nHost: h\r\n\r\n']);
  assert.equal(reqs[0]!.body, '0123456789');
  assert.equal(reqs[1]!.head.url, '/n');
});
