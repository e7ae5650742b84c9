import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './handler.js';
import type { EdmEvent } from './validate.js';

const KEY = 'test-internal-key-123';
const produced: EdmEvent[][] = [];
let failNext = false;
let server: Server;
let base = '';

before(async () => {
  server = createServer(
    createHandler({
      authorized: (req) => req.headers['x-internal-api-key'] === KEY,
      ready: () => true,
      log: () => {},
      produce: async (events) => {
        if (failNext) {
          failNext = false;
          throw new Error('broker down');
        }
        produced.push(events);
        return { sentAt: 1_700_000_000_001, ackedAt: 1_700_000_000_002 };
      },
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-internal-api-key': KEY, ...headers } });

test('without the internal key every path is 401, health too', async () => {
  for (const path of ['/events', '/health', '/nope']) {
    const r = await fetch(base + path, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 401);
    assert.match(((await r.json()) as { message: string }).message, /X-Internal-API-Key/);
  }
  const wrong = await post('/events', '{}', { 'x-internal-api-key': 'wrong' });
  assert.equal(wrong.status, 401);
  assert.equal(produced.length, 0);
});

test('good events get 202 after produce, with their ids', async () => {
  produced.length = 0;
  const r = await post('/events', JSON.stringify([{ type: 'click', product: 'p-1' }, { type: 'pageload', product: 'p-2' }]));
  assert.equal(r.status, 202);
  const body = (await r.json()) as { accepted: number; ids: string[] };
  assert.equal(body.accepted, 2);
  assert.deepEqual(body.ids, produced[0]!.map((e) => e.id));
  const click = await post('/produceClickMessage', JSON.stringify({ product: 'p-3' }));
  assert.equal(click.status, 202);
  assert.equal(produced[1]![0]!.type, 'click');
  const page = await post('/producePageLoad', JSON.stringify({ product: 'p-3' }));
  assert.equal(page.status, 202);
  assert.equal(produced[2]![0]!.type, 'pageload');
});

test('bad input gets a clear 4xx and produces nothing', async () => {
  produced.length = 0;
  const cases: [string, string, Record<string, string>, number, RegExp][] = [
    ['/events', '{"type": "click", ', {}, 400, /not valid JSON/],
    ['/events', '', {}, 400, /empty/],
    ['/events', '{"type":"click"}', {}, 400, /product: required/],
    ['/events', '{"type":"click","product":"p"}', { 'content-type': 'text/xml' }, 415, /application\/json/],
    ['/events', JSON.stringify({ type: 'click', product: 'x'.repeat(300_000) }), {}, 413, /at most/],
  ];
  for (const [path, body, headers, status, message] of cases) {
    const r = await post(path, body, headers);
    assert.equal(r.status, status, body.slice(0, 40));
    assert.match(((await r.json()) as { message: string }).message, message);
  }
  const get = await fetch(base + '/events', { headers: { 'x-internal-api-key': KEY } });
  assert.equal(get.status, 405);
  assert.equal(produced.length, 0);
});

test('a failed produce is 503, never 202', async () => {
  failNext = true;
  const r = await post('/events', '{"type":"click","product":"p"}');
  assert.equal(r.status, 503);
  assert.equal(r.headers.get('retry-after'), '1');
});

test('X-Edm-Trace: 1 gets the hop stamps in the 202; without it the answer is the plain one', async () => {
  const traced = await post('/events', '{"type":"click","product":"p"}', { 'x-edm-trace': '1', 'x-request-start': '1700000000000' });
  assert.equal(traced.status, 202);
  const t = ((await traced.json()) as { trace: Record<string, number> }).trace;
  assert.equal(t.gateway, 1_700_000_000_000);
  assert.ok(t.relay! > 1_700_000_000_000 && t.body! >= t.relay!, JSON.stringify(t));
  assert.deepEqual([t.sent, t.acked], [1_700_000_000_001, 1_700_000_000_002]);
  const plain = await post('/events', '{"type":"click","product":"p"}');
  assert.equal(((await plain.json()) as { trace?: unknown }).trace, undefined);
});
