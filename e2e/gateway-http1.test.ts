/**
 * The gateway's own HTTP/1.1 server, through the real gateway with raw sockets: keep-alive, pipelining,
 * Expect: 100-continue (forwarded or refused before the body), HTTP/1.0, Connection: close, and a bad
 * request after good ones on the same connection; big answers to clients that read slowly arrive intact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { appService, emptyEntities, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';
import { bigBody } from './fixtures/gateway-big-body.mjs';

let gw: Gateway;

before(async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const api = appService('api', 'api', { paths: ['/api'] });
  const auth = appService('auth', 'api', { paths: ['/auth'] });
  const booting = appService('booting', 'booting', { paths: ['/booting'] }, { connect_timeout: 300 });
  e.services.push(api.service, auth.service, booting.service);
  e.routes.push(api.route, auth.route, booting.route);
  e.consumers.push({ id: 'c-alice', username: 'alice', keys: ['alice-key-0001'], basic: [], groups: [], tags: [] });
  e.plugins.push({ id: 'p1', name: 'key-auth', config: {}, service: auth.service.id, enabled: true });
  gw = await startGateway({
    entities: e,
    dynos: [
      { app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' },
      { app: 'booting', type: 'web', dyno: 'web.1', port: b.port, state: 'starting' },
    ],
  });
});
after(() => stopAll());

interface Res {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw connection that reads responses one by one (Content-Length, chunked or until close). */
class Conn {
  readonly s: net.Socket;
  private buf = '';
  private ended = false;
  private wake: (() => void) | undefined;
  constructor() {
    this.s = net.connect(gw.port, '127.0.0.1');
    this.s.setEncoding('latin1');
    this.s.on('data', (d: string) => {
      this.buf += d;
      this.wake?.();
    });
    this.s.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    this.s.on('error', () => {});
  }
  send(text: string): void {
    this.s.write(text, 'latin1');
  }
  get closed(): boolean {
    return this.ended;
  }
  private async until(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!ready()) {
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf)}`);
      if (Date.now() > deadline) throw new Error(`timed out; unread: ${JSON.stringify(this.buf)}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
  }
  /** The next interim or final response head and body. */
  async read(): Promise<Res> {
    await this.until(() => this.buf.includes('\r\n\r\n'));
    const end = this.buf.indexOf('\r\n\r\n');
    const lines = this.buf.slice(0, end).split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
    this.buf = this.buf.slice(end + 4);
    let body = '';
    if (status < 200 || status === 204 || status === 304) return { status, headers, body };
    if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      await this.until(() => this.buf.length >= n);
      body = this.buf.slice(0, n);
      this.buf = this.buf.slice(n);
    } else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        await this.until(() => this.buf.includes('\r\n'));
        const size = parseInt(this.buf.slice(0, this.buf.indexOf('\r\n')), 16);
        await this.until(() => this.buf.length >= this.buf.indexOf('\r\n') + 2 + size + 2);
        const start = this.buf.indexOf('\r\n') + 2;
        body += this.buf.slice(start, start + size);
        this.buf = this.buf.slice(start + size + 2);
        if (size === 0) break;
      }
    } else {
      await this.until(() => this.ended);
      body = this.buf;
      this.buf = '';
    }
    return { status, headers, body };
  }
  async closedSoon(): Promise<boolean> {
    for (let i = 0; i < 40 && !this.ended; i++) await new Promise((r) => setTimeout(r, 25));
    return this.ended;
  }
}

const json = (r: Res) => JSON.parse(r.body) as { url: string; method: string; body: string; headers: Record<string, string> };

test('keep-alive and pipelining: three requests in one write, answered in order on one connection', async () => {
  const c = new Conn();
  c.send(
    'GET /api/one HTTP/1.1\r\nHost: x\r\n\r\n' +
      'POST /api/two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' +
      'POST /api/three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  );
  const r1 = await c.read();
  const r2 = await c.read();
  const r3 = await c.read();
  assert.deepEqual([r1.status, r2.status, r3.status], [200, 200, 200]);
  assert.equal(json(r1).url, '/one');
  assert.deepEqual([json(r2).url, json(r2).body], ['/two', 'hello']);
  assert.deepEqual([json(r3).url, json(r3).body], ['/three', 'abc']);
  // Still open for more.
  c.send('GET /api/four HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(json(await c.read()).url, '/four');
  assert.equal(c.closed, false);
  c.s.destroy();
});

test('an upstream head whose last line is kept (Content-Length after the hop-by-hop ones) reaches the client intact', async () => {
  const c = new Conn();
  c.send('GET /api/sized HTTP/1.1\r\nHost: x\r\n\r\nGET /api/sized HTTP/1.1\r\nHost: x\r\n\r\n');
  for (let i = 0; i < 2; i++) {
    const r = await c.read();
    assert.equal(r.status, 200);
    assert.equal(r.body, 'sized body');
    assert.equal(r.headers['content-length'], '10');
    assert.equal(r.headers['keep-alive'], undefined, 'hop-by-hop headers are not forwarded');
  }
  c.s.destroy();
});

test('Expect: 100-continue: "100 Continue" comes before the body is sent, and the app gets the body without Expect', async () => {
  const c = new Conn();
  c.send('PUT /api/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n');
  const interim = await c.read();
  assert.equal(interim.status, 100);
  c.send('hello world');
  const r = await c.read();
  assert.equal(r.status, 200);
  assert.equal(json(r).body, 'hello world');
  assert.equal(json(r).headers.expect, undefined);
  c.s.destroy();
});

test('Expect: 100-continue refused by a plugin: the final answer without "100 Continue", then the connection closes', async () => {
  const c = new Conn();
  c.send('PUT /auth/upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n');
  const r = await c.read();
  assert.equal(r.status, 401);
  assert.equal(r.headers.connection, 'close');
  assert.equal(await c.closedSoon(), true);
});

test('a plugin exit on a request whose body is still coming: the body is read and dropped, the connection serves the next request', async () => {
  const c = new Conn();
  c.send('POST /auth/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234');
  assert.equal((await c.read()).status, 401);
  c.send('56789GET /api/after HTTP/1.1\r\nHost: x\r\n\r\n');
  const r = await c.read();
  assert.equal(r.status, 200);
  assert.equal(json(r).url, '/after');
  c.s.destroy();
});

test('a big body held (and reading paused) while a dyno boots, then H20: the rest is read and dropped, the connection goes on', async () => {
  const c = new Conn();
  const body = 'x'.repeat(200_000);
  c.send(`POST /booting/up HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  const r = await c.read();
  assert.equal(r.status, 503);
  c.send('GET /api/after-boot HTTP/1.1\r\nHost: x\r\n\r\n');
  const next = await c.read();
  assert.equal(json(next).url, '/after-boot');
  c.s.destroy();
});

test('HTTP/1.0: closes after the answer unless keep-alive is asked; a streamed answer is delimited by the close', async () => {
  const a = new Conn();
  a.send('GET /api/ten HTTP/1.0\r\n\r\n');
  const r = await a.read();
  assert.equal(r.status, 200);
  assert.equal(json(r).url, '/ten');
  assert.equal(await a.closedSoon(), true);

  const b = new Conn();
  // (The test backend streams its echo answers; a 204 has a known length: none.)
  b.send('GET /api/status/204 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  const r1 = await b.read();
  assert.equal(r1.status, 204);
  assert.equal(r1.headers.connection, 'keep-alive');
  b.send('GET /api/chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  const r2 = await b.read();
  assert.equal(r2.headers['transfer-encoding'], undefined, 'no chunked framing for an HTTP/1.0 client');
  assert.equal(r2.headers.connection, 'close');
  assert.equal(r2.body, 'one,two,three');
});

test('Connection: close on HTTP/1.1 is honoured; a malformed request after good ones gets 400 and the close', async () => {
  const a = new Conn();
  a.send('GET /api/bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const r = await a.read();
  assert.equal(r.headers.connection, 'close');
  assert.equal(await a.closedSoon(), true);

  const b = new Conn();
  b.send('GET /api/good HTTP/1.1\r\nHost: x\r\n\r\nGET /api/bad HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n');
  assert.equal((await b.read()).status, 200);
  const bad = await b.read();
  assert.equal(bad.status, 400);
  assert.match(bad.body, /conflicting Content-Length/);
  assert.equal(await b.closedSoon(), true);
});

test('big answers reach clients that read slowly byte for byte (sized and chunked, three at once: upstream reads share one buffer); their sockets serve the next requests', async () => {
  const get = (path: string) =>
    new Promise<{ status: number; chunked: boolean; body: Buffer }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: gw.port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        // Not read for a while: the gateway's writes to this client back up while other answers stream in.
        res.pause();
        setTimeout(() => res.resume(), 300);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, chunked: res.headers['transfer-encoding'] === 'chunked', body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  const bytes = 16_000_000;
  const got = await Promise.all([get(`/api/big?bytes=${bytes}&seed=1`), get(`/api/big?bytes=${bytes}&seed=2&chunked=1`), get(`/api/big?bytes=${bytes}&seed=3`)]);
  for (const [i, r] of got.entries()) {
    assert.equal(r.status, 200);
    assert.equal(r.chunked, i === 1);
    assert.equal(r.body.length, bytes);
    assert.ok(r.body.equals(bigBody(bytes, i + 1)), `answer ${i + 1} differs from what the dyno sent`);
  }
  // The upstream sockets those answers used (paused for the slow clients) serve the next requests at once.
  const t0 = Date.now();
  const next = await Promise.all([1, 2, 3].map(() => get('/api/echo')));
  assert.deepEqual(
    next.map((r) => r.status),
    [200, 200, 200],
  );
  assert.ok(Date.now() - t0 < 3000, `answered in ${Date.now() - t0} ms`);
});

test('a pipelined request waiting behind a slow one is parsed intact while other connections are read (client reads share one buffer)', async () => {
  const a = new Conn();
  a.send('GET /api/slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/echo?second=1 HTTP/1.1\r\nHost: x\r\nX-Marker: the-second-request\r\n\r\n');
  await new Promise((r) => setTimeout(r, 50));
  // Reads on other connections while the second request of `a` waits in its parser.
  const others = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const b = new Conn();
      b.send(`GET /api/echo?other=${i}${'z'.repeat(200)} HTTP/1.1\r\nHost: y\r\nX-Other: ${'o'.repeat(300)}\r\n\r\n`);
      const r = await b.read();
      b.s.destroy();
      return r.status;
    }),
  );
  assert.deepEqual(others, [200, 200, 200, 200]);
  assert.equal((await a.read()).status, 200);
  const second = await a.read();
  assert.equal(second.status, 200);
  assert.equal(json(second).url, '/echo?second=1');
  assert.equal(json(second).headers['x-marker'], 'the-second-request');
  a.s.destroy();
});
