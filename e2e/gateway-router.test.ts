/** The router's headers, its Heroku-format log lines, and each H error provoked for real. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { appService, emptyEntities, freePort, request, startBackend, startGateway, stopAll, type Backend, type Gateway } from './gateway-support.js';

let gw: Gateway;
let b1: Backend;

before(async () => {
  b1 = await startBackend('web.1');
  const dead = await freePort();
  const e = emptyEntities();
  const add = (x: ReturnType<typeof appService>) => {
    e.services.push(x.service);
    e.routes.push(x.route);
  };
  add(appService('api', 'api', { paths: ['/api'] }, { read_timeout: 400 }));
  add(appService('none', 'none', { paths: ['/none'] }));
  add(appService('crashed', 'crashed', { paths: ['/crashed'] }));
  add(appService('refused', 'refused', { paths: ['/refused'] }, { retries: 1 }));
  gw = await startGateway({
    entities: e,
    dynos: [
      { app: 'api', type: 'web', dyno: 'web.1', port: b1.port, state: 'up' },
      { app: 'crashed', type: 'web', dyno: 'web.1', port: dead, state: 'crashed' },
      { app: 'refused', type: 'web', dyno: 'web.1', port: dead, state: 'up' },
    ],
  });
});
after(() => stopAll());

test('forwards with Heroku router headers and the internal key', async () => {
  const r = await request(gw.port, '/api/echo?x=1', {
    headers: { 'x-forwarded-for': '10.1.2.3', 'x-internal-api-key': 'forged', via: '1.0 corp' },
  });
  assert.equal(r.status, 200);
  const got = r.json();
  assert.equal(got.url, '/echo?x=1', 'strip_path removed /api');
  const h = got.headers;
  assert.equal(h['x-internal-api-key'], gw.key, 'the gateway replaces any client-supplied key');
  assert.equal(h['x-forwarded-for'], '10.1.2.3, 127.0.0.1');
  assert.equal(h['x-forwarded-proto'], 'http');
  assert.equal(h['x-forwarded-port'], String(gw.port));
  assert.match(h['x-request-start']!, /^\d{13}$/);
  assert.ok(Math.abs(Number(h['x-request-start']) - Date.now()) < 5000);
  assert.equal(h.via, '1.0 corp, 1.1 spaceport');
  assert.match(h['x-request-id']!, /^[0-9a-f-]{36}$/);
  assert.equal(h.host, `127.0.0.1:${b1.port}`, 'preserve_host false sends the upstream host');
});

test('keeps a valid incoming X-Request-Id and replaces an invalid one', async () => {
  const valid = 'a1b2c3d4e5f6g7h8i9j0-valid';
  const r1 = await request(gw.port, '/api/echo', { headers: { 'x-request-id': valid } });
  assert.equal(r1.json().headers['x-request-id'], valid);
  const r2 = await request(gw.port, '/api/echo', { headers: { 'x-request-id': 'short' } });
  assert.notEqual(r2.json().headers['x-request-id'], 'short');
  assert.match(r2.json().headers['x-request-id']!, /^[0-9a-f-]{36}$/);
});

test('logs one Heroku-format router line per request, without the key', async () => {
  await request(gw.port, '/api/logged?q=1', { headers: { 'x-request-id': 'log-test-request-id-0001' } });
  const line = await gw.waitLog(/request_id=log-test-request-id-0001/);
  assert.match(
    line,
    /^\S+Z router\[api\]: at=info method=GET path="\/api\/logged" host=127\.0\.0\.1:\d+ request_id=log-test-request-id-0001 fwd="127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=\d+ protocol=http$/,
  );
  assert.ok(!gw.logs.some((l) => l.includes(gw.key)), 'the internal key never appears in logs');
});

test('404 for a request no route matches; its router line counts the body bytes', async () => {
  const r = await request(gw.port, '/nothing-here', { headers: { 'x-request-id': 'no-route-request-id-0001' } });
  assert.equal(r.status, 404);
  assert.equal(r.json().message, 'no Route matched with those values');
  assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
  assert.match(await gw.waitLog(/request_id=no-route-request-id-0001/), new RegExp(` status=404 bytes=${Buffer.byteLength(r.body)} `));
});

test('H14: no web dynos → 503, JSON body when the client accepts JSON', async () => {
  const r = await request(gw.port, '/none', { headers: { accept: 'application/json', 'x-request-id': 'h14-request-id-000000001' } });
  assert.equal(r.status, 503);
  assert.equal(r.json().code, 'H14');
  const line = await gw.waitLog(/request_id=h14-request-id-000000001/);
  assert.match(line, /at=error code=H14 desc="No web dynos running" method=GET path="\/none"/);
  assert.match(line, new RegExp(`status=503 bytes=${Buffer.byteLength(r.body)} `), 'the bytes of the error page are counted');
});

test('H10: every dyno crashed → 503 with an HTML page', async () => {
  const r = await request(gw.port, '/crashed', { headers: { accept: 'text/html', 'x-request-id': 'h10-request-id-000000001' } });
  assert.equal(r.status, 503);
  assert.match(String(r.headers['content-type']), /text\/html/);
  assert.match(r.body, /App crashed/);
  assert.match(await gw.waitLog(/request_id=h10-request-id-000000001/), /at=error code=H10 desc="App crashed"/);
});

test('H12: the app answers after read_timeout → 504', async () => {
  const t0 = Date.now();
  const r = await request(gw.port, '/api/slow?ms=2000', { headers: { accept: 'application/json', 'x-request-id': 'h12-request-id-000000001' } });
  assert.equal(r.status, 504);
  assert.equal(r.json().code, 'H12');
  assert.ok(Date.now() - t0 < 1900, 'answered at the read timeout, before the app did');
  assert.match(await gw.waitLog(/request_id=h12-request-id-000000001/), /at=error code=H12 desc="Request timeout" .* dyno=web\.1 .*status=504/);
});

test('H13: the app closes the connection without answering → 502', async () => {
  const r = await request(gw.port, '/api/close', { method: 'POST', body: 'x', headers: { accept: 'application/json', 'x-request-id': 'h13-request-id-000000001' } });
  assert.equal(r.status, 502);
  assert.equal(r.json().code, 'H13');
  assert.match(await gw.waitLog(/request_id=h13-request-id-000000001/), /at=error code=H13 desc="Connection closed without response"/);
});

test('H18: the app cuts its response short → the client connection is cut, H18 logged', async () => {
  await assert.rejects(request(gw.port, '/api/partial', { headers: { 'x-request-id': 'h18-request-id-000000001' } }));
  assert.match(await gw.waitLog(/request_id=h18-request-id-000000001/), /at=error code=H18 desc="Server Request Interrupted"/);
});

test('H27: the client goes away before the answer → logged as 499', async () => {
  const s = net.connect(gw.port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  s.write('GET /api/slow?ms=300 HTTP/1.1\r\nHost: x\r\nX-Request-Id: h27-request-id-000000001\r\n\r\n');
  await new Promise((r) => setTimeout(r, 100));
  s.destroy();
  assert.match(await gw.waitLog(/request_id=h27-request-id-000000001/), /at=error code=H27 desc="Client Request Interrupted" .*status=499/);
});

test('connection refused on every dyno → H21 503 after retries', async () => {
  const r = await request(gw.port, '/refused', { headers: { accept: 'application/json' } });
  assert.equal(r.status, 503);
  assert.equal(r.json().code, 'H21');
});

test('bodies: chunked request bodies, chunked and empty responses, HEAD', async () => {
  const chunkedReq = await new Promise<string>((resolve, reject) => {
    const s = net.connect(gw.port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('error', reject);
    s.write('POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    s.on('end', () => resolve(out));
  });
  assert.match(chunkedReq, /^HTTP\/1\.1 200/);
  assert.match(chunkedReq, /"body":"hello world"/);
  const chunkedRes = await request(gw.port, '/api/chunked');
  assert.equal(chunkedRes.body, 'one,two,three');
  assert.equal(chunkedRes.headers['transfer-encoding'], 'chunked');
  const head = await request(gw.port, '/api/echo', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  const noContent = await request(gw.port, '/api/status/204');
  assert.equal(noContent.status, 204);
  const big = 'x'.repeat(300_000);
  const echoed = await request(gw.port, '/api/echo', { method: 'PUT', body: big });
  assert.equal(echoed.json().body.length, 300_000);
});
