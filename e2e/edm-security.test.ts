// The edm system's edges: internal apps are reachable only through their routes, every dyno refuses traffic without
// the internal key, and bad events get a clear 400/413 without anything reaching Kafka.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PARTNER_KEY, startEdmSpace, stats, until, type EdmSpace } from './edm-support.js';
import { isLoopback, readState, spaceListeners, spaceProcesses, spaceSecrets } from './space-audit.js';

let space: EdmSpace;
before(async () => {
  space = await startEdmSpace();
});
after(() => space?.cleanup());

/** Sum of the high-water marks of both UI topics: what has ever reached Kafka. */
async function producedCount(): Promise<number> {
  const admin = new Kafka({ clientId: 'edm-e2e', brokers: space.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let n = 0;
    for (const topic of ['edm-ui-click', 'edm-ui-pageload']) {
      for (const p of await admin.fetchTopicOffsets(topic)) n += Number(p.high);
    }
    return n;
  } finally {
    await admin.disconnect();
  }
}

/** A request with any Host header (fetch cannot set Host). */
function raw(url: string, opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: { ...(opts.host ? { host: opts.host } : {}), ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${space.gateway}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

test('the relay and the stats are not reachable on the public listener except through their routes', async () => {
  const event = JSON.stringify({ type: 'click', product: 'p-001' });
  const before = await producedCount();
  // Internal apps have no default host route: their host names fall through to the storefront's catch-all route.
  for (const host of ['edm-relay.localhost', 'edm-stats.localhost']) {
    for (const path of ['/events', '/health', '/api/stats']) {
      const get = path !== '/events';
      const r = await raw(`${space.gateway}${path}`, { method: get ? 'GET' : 'POST', host, headers: { 'content-type': 'application/json' }, body: get ? undefined : event });
      if (path === '/api/stats') {
        assert.equal(r.status, 200, 'the stats route matches on any host');
        continue;
      }
      assert.notEqual(r.status, 202, `${host}${path} must not produce`);
      assert.doesNotMatch(r.body, /"accepted"|"partitions"/, `${host}${path} must not be answered by the relay or the stats`);
    }
  }
  // The relay's own paths are not routes: /events and /health on the public listener reach the storefront.
  assert.notEqual((await post('/events', event)).status, 202);
  assert.equal(await producedCount(), before, 'nothing reached Kafka');
  // Through their routes they answer.
  assert.equal((await post('/api/events', event)).status, 202);
  assert.equal((await post('/api/partner/events', event, { apikey: PARTNER_KEY })).status, 202);
  assert.equal((await post('/produceClickMessage', JSON.stringify({ product: 'p-002' }))).status, 202);
  assert.equal((await fetch(`${space.gateway}/api/stats`)).status, 200);
  assert.equal(await producedCount(), before + 3);
});

test('a direct call to any dyno port without the internal key gets 401', async () => {
  const dynos = await space.ps();
  assert.deepEqual(dynos.map((d) => `${d.app}.${d.dyno}`).sort(), ['edm-dashboard.web.1', 'edm-relay.web.1', 'edm-stats.web.1', 'edm-stats.web.2', 'edm-stream.web.1', 'edm-ui.web.1']);
  for (const d of dynos) {
    const base = `http://127.0.0.1:${d.port}`;
    for (const path of ['/', '/health', '/api/stats', '/events', '/dashboard', '/socket.io/?EIO=4&transport=polling', '/socket.io/socket.io.js']) {
      const r = await fetch(base + path);
      assert.equal(r.status, 401, `${d.app}.${d.dyno} ${path}`);
      await r.body?.cancel();
    }
    const wrong = await fetch(`${base}/health`, { headers: { 'x-internal-api-key': 'not-the-key' } });
    assert.equal(wrong.status, 401, `${d.app}.${d.dyno} with a wrong key`);
    await wrong.body?.cancel();
    const direct = await fetch(`${base}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"click","product":"p-001"}' });
    assert.equal(direct.status, 401);
    await direct.body?.cancel();
  }
});

test('bad events get 400 or 413 with a clear message, and nothing reaches Kafka', async () => {
  const before = await producedCount();
  // The stats count asynchronously: snapshot them only once they have consumed every event earlier tests produced,
  // or a late count of those would look like a bad event getting through.
  const totalsBefore = await until(async () => {
    const s = (await fetch(`${space.gateway}/api/stats`).then((r) => r.json())) as { consumed: number; totals: { click: number; pageload: number } };
    return s.consumed === before && s.totals;
  }, 20_000, `the stats to consume the ${before} events produced so far`);
  const cases: [string, string, Record<string, string>, number, RegExp][] = [
    ['/api/events', '{"type": "click", "product": ', {}, 400, /not valid JSON/],
    ['/api/events', '{"product": "p-001"}', {}, 400, /type: required/],
    ['/api/events', '{"type": "click"}', {}, 400, /product: required/],
    ['/api/events', '{"type": "purchase", "product": "p-001"}', {}, 400, /must be \\"click\\" or \\"pageload\\"/],
    ['/api/events', '[{"type": "click", "product": "p-001"}, {"type": "click", "product": "bad id!"}]', {}, 400, /\[1\]\.product/],
    ['/api/events', '{"type": "click", "product": "p-001", "price": 3}', {}, 400, /unknown field \\"price\\"/],
    ['/api/events', '[]', {}, 400, /at least one event/],
    ['/api/events', JSON.stringify({ type: 'click', product: 'p-001', session: 'x'.repeat(70_000) }), {}, 413, /size limit/i],
    ['/api/partner/events', JSON.stringify(Array.from({ length: 400 }, () => ({ type: 'click', product: 'p-001', session: 'y'.repeat(700) }))), { apikey: PARTNER_KEY }, 413, /size limit/i],
    ['/api/partner/events', '{"type": "click"}', { apikey: PARTNER_KEY }, 400, /product: required/],
    ['/api/partner/events', '{"type": "click", "product": "p-001"}', {}, 401, /API key/],
    ['/produceClickMessage', '{"type": "pageload", "product": "p-001"}', {}, 400, /takes \\"click\\" events/],
  ];
  for (const [path, body, headers, status, message] of cases) {
    // A failure to get any answer names the case and the socket error (a 413 must never cost the client its answer).
    const r = await post(path, body, headers).catch((e: Error & { cause?: Error }) => {
      throw new Error(`${path} ${body.slice(0, 60)}: no answer (${e.message}${e.cause ? `: ${e.cause.message}` : ''})`);
    });
    const text = await r.text();
    assert.equal(r.status, status, `${path} ${body.slice(0, 60)}: ${text}`);
    assert.match(text, message, `${path} ${body.slice(0, 60)}`);
    if (status === 400) assert.ok((JSON.parse(text) as { field?: string }).field, `a 400 names the field at fault: ${text}`);
  }
  // A body streamed without Content-Length cannot dodge the size limit: the browser route requires the length.
  const chunked = await raw(`${space.gateway}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: JSON.stringify({ type: 'click', product: 'p-001', session: 'x'.repeat(70_000) }) });
  assert.equal(chunked.status, 411, chunked.body);
  const wrongType = await post('/api/events', '{"type":"click","product":"p-001"}', { 'content-type': 'text/xml' });
  assert.equal(wrongType.status, 415);
  await wrongType.body?.cancel();
  assert.equal(await producedCount(), before, 'no bad event reached Kafka');
  assert.deepEqual((await stats(space)).totals, totalsBefore);
});

// The audit of the defaults (the security rules of the brief): what `ps`, `ss -ltnp`, the logs and `ls -l` show.

test('audit: every listener of the space binds loopback (dynos, broker and its admin, Postgres, routers, admin API)', async () => {
  const listeners = spaceListeners(space.dir);
  const open = listeners.filter((l) => !isLoopback(l.address));
  assert.deepEqual(open.map((l) => `${l.group} pid ${l.pid} listens on ${l.address}:${l.port}`), [], 'bound beyond loopback');
  // The audit saw every kind of listener: each dyno's PORT, the broker's two, Postgres, the gateway's.
  const ports = new Set(listeners.map((l) => l.port));
  for (const d of await space.ps()) assert.ok(ports.has(d.port), `${d.app}.${d.dyno}'s port ${d.port} was not found listening`);
  const groups = new Set(listeners.map((l) => l.group));
  for (const g of ['addons.events:broker', 'addons.db:postgres', 'gateway:main']) assert.ok(groups.has(g), `no listener of ${g} in ${[...groups].join(', ')}`);
  assert.equal(listeners.filter((l) => l.group === 'addons.events:broker').length, 2, 'the Kafka port and the admin port');
});

test("audit: no secret in any process's command line, in the log files or in `spaceport logs`", async () => {
  const secrets = spaceSecrets(space.dir);
  assert.deepEqual(Object.keys(secrets).sort(), ['INTERNAL_API_KEY', 'admin token of addons.events:broker', 'gateway admin token', 'password of addons.db']);
  const procs = spaceProcesses(space.dir);
  assert.ok(procs.length >= 10, `${procs.length} processes`);
  const logs = join(space.dir, '.spaceport', 'logs');
  const cli = await space.cli(['logs', '-n', '100000']);
  assert.equal(cli.code, 0, cli.stderr);
  const places: [string, string][] = [
    ...procs.map((p): [string, string] => [`argv of ${p.group} pid ${p.pid}`, p.argv]),
    ...readdirSync(logs).map((f): [string, string] => [`.spaceport/logs/${f}`, readFileSync(join(logs, f), 'utf8')]),
    ['spaceport logs', cli.stdout + cli.stderr],
  ];
  const found = places.flatMap(([where, text]) => Object.entries(secrets).filter(([, v]) => text.includes(v)).map(([what]) => `${what} in ${where}`));
  assert.deepEqual(found, []);
});

test("audit: secrets and data are the owner's alone; the admin APIs refuse requests without their token", async () => {
  const sp = join(space.dir, '.spaceport');
  const mode = (p: string) => (statSync(join(sp, p)).mode & 0o777).toString(8);
  assert.deepEqual(
    Object.fromEntries(['state.json', 'admin-token', 'control.sock', 'logs', ...readdirSync(join(sp, 'logs')).map((f) => `logs/${f}`), 'events', 'postgres/db'].map((p) => [p, mode(p)])),
    { 'state.json': '600', 'admin-token': '600', 'control.sock': '600', logs: '700', ...Object.fromEntries(readdirSync(join(sp, 'logs')).map((f) => [`logs/${f}`, '600'])), events: '700', 'postgres/db': '700' },
  );
  assert.ok(statSync(join(sp, 'control.sock')).isSocket());
  const adminPort = (readState(space.dir) as unknown as { ports: Record<string, number> }).ports['gateway:admin']!;
  const token = readFileSync(join(sp, 'admin-token'), 'utf8').trim();
  for (const headers of [{}, { authorization: 'Bearer not-the-token' }] as Record<string, string>[]) {
    const r = await fetch(`http://127.0.0.1:${adminPort}/services`, { headers });
    assert.equal(r.status, 401, `gateway admin API with ${JSON.stringify(headers)}`);
    await r.body?.cancel();
  }
  const ok = await fetch(`http://127.0.0.1:${adminPort}/services`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  const kafkaPort = Number(space.brokers[0]!.split(':')[1]);
  const brokerAdmin = spaceListeners(space.dir).find((l) => l.group === 'addons.events:broker' && l.port !== kafkaPort)!;
  const b = await fetch(`http://127.0.0.1:${brokerAdmin.port}/topics`);
  assert.equal(b.status, 401, 'broker admin API without its token');
  await b.body?.cancel();
});
