/** Malformed requests get a 4xx, never reach a dyno, and the gateway keeps serving. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Backend, type Gateway } from './gateway-support.js';

let gw: Gateway;
let b: Backend;

before(async () => {
  b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('api', 'api', {});
  e.services.push(x.service);
  e.routes.push(x.route);
  gw = await startGateway({ entities: e, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
});
after(() => stopAll());

function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(gw.port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.write(text, 'latin1');
    setTimeout(() => s.destroy(), 2000).unref();
  });
}

test('a header with a control byte → 400', async () => {
  const out = await raw('GET /malformed-1 HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 400 /);
});

test('both Content-Length and Transfer-Encoding → 400 (no request smuggling)', async () => {
  const out = await raw('POST /malformed-2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 400 /);
  assert.doesNotMatch(out, /smuggled/);
});

test('oversized headers → 431', async () => {
  const out = await raw(`GET /malformed-3 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(out, /^HTTP\/1\.1 431 /);
});

test('a garbage request line → 400; the gateway still serves and no malformed request reached the dyno', async () => {
  const out = await raw('HELLO\x00 WORLD\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 400 /);
  const ok = await request(gw.port, '/fine');
  assert.equal(ok.status, 200);
  const hits = (await request(b.port, '/hits')).json<Record<string, number>>();
  assert.equal(hits['/malformed-1'] ?? 0, 0);
  assert.equal(hits['/malformed-2'] ?? 0, 0);
  assert.equal(hits['/smuggled'] ?? 0, 0);
  assert.equal(hits['/malformed-3'] ?? 0, 0);
  assert.match(await gw.waitLog(/status=431/), /at=error code=H400/);
});
