/** Plugins through the real gateway: scopes (global, service, route, consumer), phases and their headers. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';

let gw: Gateway;

before(async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const api = appService('api', 'api', { paths: ['/api'] });
  const open = appService('open', 'api', { paths: ['/open'] });
  const cached = appService('cached', 'api', { paths: ['/cached'] });
  e.services.push(api.service, open.service, cached.service);
  e.routes.push(api.route, open.route, cached.route);
  e.consumers.push(
    { id: 'c-alice', username: 'alice', keys: ['alice-key-0001'], basic: [], groups: ['dev'], tags: [] },
    { id: 'c-vip', username: 'vip', keys: ['vip-key-000001'], basic: [], groups: ['dev'], tags: [] },
  );
  e.plugins.push(
    { id: 'p1', name: 'key-auth', config: { hide_credentials: true }, service: api.service.id, enabled: true },
    { id: 'p2', name: 'rate-limiting', config: { minute: 3 }, service: api.service.id, enabled: true },
    { id: 'p3', name: 'rate-limiting', config: { minute: 100 }, consumer: 'c-vip', enabled: true },
    { id: 'p4', name: 'response-transformer', config: { add: { headers: ['x-gateway:spaceport'] } }, enabled: true },
    { id: 'p5', name: 'proxy-cache', config: { cache_ttl: 60 }, route: cached.route.id, enabled: true },
    { id: 'p6', name: 'request-size-limiting', config: { allowed_payload_size: 16, size_unit: 'bytes' }, route: open.route.id, enabled: true },
    { id: 'p7', name: 'prometheus', config: {}, enabled: true },
    { id: 'p8', name: 'request-transformer', config: { add: { headers: ['x-internal-api-key:forged', 'via:1.0 forged', 'x-kept:yes'] } }, route: open.route.id, enabled: true },
  );
  gw = await startGateway({ entities: e, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
});
after(() => stopAll());

test('key-auth: 401 without a key, consumer headers upstream and the key hidden with one', async () => {
  const no = await request(gw.port, '/api/x');
  assert.equal(no.status, 401);
  assert.equal(no.json().message, 'No API key found in request');
  const ok = await request(gw.port, '/api/x', { headers: { apikey: 'alice-key-0001' } });
  assert.equal(ok.status, 200);
  const h = ok.json().headers;
  assert.equal(h['x-consumer-username'], 'alice');
  assert.equal(h['apikey'], undefined, 'hide_credentials');
  assert.equal(ok.headers['x-gateway'], 'spaceport', 'global response-transformer applies too');
});

test('rate-limiting: Kong headers, then 429 with Retry-After; a consumer-scoped config overrides it', async () => {
  const key = { apikey: 'alice-key-0001' };
  const seen: number[] = [];
  let last;
  for (let i = 0; i < 4; i++) {
    last = await request(gw.port, '/api/rl', { headers: key });
    seen.push(last.status);
  }
  // The first test used one of alice's three requests this minute (unless the minute just turned).
  assert.equal(seen.at(-1), 429);
  assert.equal(last!.json().message, 'API rate limit exceeded');
  assert.ok(Number(last!.headers['retry-after']) >= 1);
  assert.equal(last!.headers['x-ratelimit-limit-minute'], '3');
  assert.equal(last!.headers['ratelimit-remaining'], '0');
  const vip = await request(gw.port, '/api/rl', { headers: { apikey: 'vip-key-000001' } });
  assert.equal(vip.status, 200);
  assert.equal(vip.headers['x-ratelimit-limit-minute'], '100', 'the consumer-scoped plugin replaced the service one');
  assert.equal(vip.headers['ratelimit-limit'], '100');
});

test('proxy-cache: Miss then Hit, served without the upstream', async () => {
  const a = await request(gw.port, '/cached/item?id=1');
  assert.equal(a.headers['x-cache-status'], 'Miss');
  const b = await request(gw.port, '/cached/item?id=1');
  assert.equal(b.headers['x-cache-status'], 'Hit');
  assert.equal(b.body, a.body);
  assert.equal(b.headers['x-gateway'], 'spaceport');
});

test('request-size-limiting: 413 over the limit, route-scoped only', async () => {
  const big = await request(gw.port, '/open/upload', { method: 'POST', body: 'x'.repeat(17) });
  assert.equal(big.status, 413);
  assert.equal(big.json().message, 'Request size limit exceeded');
  const small = await request(gw.port, '/open/upload', { method: 'POST', body: 'tiny' });
  assert.equal(small.status, 200);
  assert.equal(small.json().body, 'tiny');
});

/** Sends a chunked POST whose chunks are `chunks` (the terminating chunk only with `end`); resolves with all the bytes received until the gateway closes or answers a complete response. */
function chunkedPost(port: number, path: string, chunks: string[], end: boolean): Promise<{ raw: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let raw = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ raw, closed: false });
    }, 3000);
    s.on('data', (d) => {
      raw += d.toString('latin1');
      // A complete answer on a connection the gateway keeps open: stop waiting.
      const m = /content-length: (\d+)\r\n/i.exec(raw);
      const at = raw.indexOf('\r\n\r\n');
      if (m && at >= 0 && raw.length >= at + 4 + Number(m[1]) && !/connection: close/i.test(raw)) {
        clearTimeout(timer);
        s.destroy();
        resolve({ raw, closed: false });
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ raw, closed: true });
    });
    s.on('error', reject);
    s.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n`);
    for (const c of chunks) s.write(`${c.length.toString(16)}\r\n${c}\r\n`);
    if (end) s.write('0\r\n\r\n');
  });
}

test('request-size-limiting: a chunked body is counted as it streams (413 and the connection closed past the limit)', async () => {
  const big = await chunkedPost(gw.port, '/open/upload', ['x'.repeat(10), 'y'.repeat(10)], false);
  assert.match(big.raw, /^HTTP\/1\.1 413 /);
  assert.match(big.raw, /Request size limit exceeded/);
  assert.match(big.raw, /connection: close/i);
  assert.equal(big.closed, true, 'the gateway closes the connection: the rest of the body cannot be skipped');
  const small = await chunkedPost(gw.port, '/open/upload', ['ti', 'ny'], true);
  assert.match(small.raw, /^HTTP\/1\.1 200 /);
  assert.match(small.raw, /"body":"tiny"/);
  // The gateway still serves after refusing one.
  const again = await request(gw.port, '/open/upload', { method: 'POST', body: 'ok' });
  assert.equal(again.status, 200);
});

test('a plugin cannot set the headers the router owns: the internal key and Via stay the router\'s', async () => {
  const r = await request(gw.port, '/open/h');
  assert.equal(r.status, 200);
  const h = r.json().headers;
  assert.equal(h['x-kept'], 'yes', 'the transformer ran');
  assert.equal(h['x-internal-api-key'], gw.key);
  assert.equal(h['via'], '1.1 spaceport');
});

test('prometheus: /metrics on the admin API sums the workers', async () => {
  const r = await request(gw.adminPort, '/metrics', { headers: { authorization: `Bearer ${gw.adminToken}` } });
  assert.equal(r.status, 200);
  assert.match(r.body, /kong_http_requests_total\{service="api",route="api",code="401",source="service"\} \d+/);
  assert.match(r.body, /kong_request_latency_ms_bucket/);
  assert.match(r.body, /spaceport_gateway_requests_total \d+/);
});
