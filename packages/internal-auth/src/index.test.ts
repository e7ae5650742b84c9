import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { checkInternal, internalCheck, internalGuard, keysMatch, requireInternal } from './index.js';

const KEY = 'k'.repeat(64);
let server: http.Server;
let express: http.Server;
let port = 0;
let expressPort = 0;

const listen = (s: http.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));

before(async () => {
  process.env.INTERNAL_API_KEY = KEY;
  server = http.createServer((req, res) => {
    if (!checkInternal(req, res)) return;
    res.end('secret');
  });
  port = await listen(server);
  const mw = requireInternal();
  express = http.createServer((req, res) => mw(req, res, () => res.end('next called')));
  expressPort = await listen(express);
});
after(() => {
  server.close();
  express.close();
});

async function get(p: number, headers: Record<string, string> = {}) {
  const r = await fetch(`http://127.0.0.1:${p}/`, { headers });
  return { status: r.status, body: await r.text() };
}

test('node http: 401 without the key or with a wrong one, 200 with it', async () => {
  assert.equal((await get(port)).status, 401);
  assert.match((await get(port)).body, /X-Internal-API-Key/);
  assert.equal((await get(port, { 'x-internal-api-key': 'wrong' })).status, 401);
  assert.equal((await get(port, { 'x-internal-api-key': KEY.slice(1) })).status, 401);
  assert.deepEqual(await get(port, { 'X-Internal-API-Key': KEY }), { status: 200, body: 'secret' });
});

test('express-style middleware calls next only with the key', async () => {
  assert.equal((await get(expressPort)).status, 401);
  assert.deepEqual(await get(expressPort, { 'x-internal-api-key': KEY }), { status: 200, body: 'next called' });
});

test('fetch-style guard returns a 401 Response or undefined', async () => {
  const guard = internalGuard({ key: 'explicit-key' });
  const denied = guard(new Request('http://x/'));
  assert.equal(denied?.status, 401);
  assert.equal(guard(new Request('http://x/', { headers: { 'x-internal-api-key': 'explicit-key' } })), undefined);
});

test('no key configured: factories throw a clear error, checkInternal fails closed', async () => {
  const saved = process.env.INTERNAL_API_KEY;
  delete process.env.INTERNAL_API_KEY;
  try {
    assert.throws(() => requireInternal(), /INTERNAL_API_KEY is not set/);
    assert.throws(() => internalGuard(), /INTERNAL_API_KEY is not set/);
    assert.equal((await get(port, { 'x-internal-api-key': KEY })).status, 401);
  } finally {
    process.env.INTERNAL_API_KEY = saved;
  }
});

test('keysMatch compares whole keys only', () => {
  assert.equal(keysMatch(KEY, KEY), true);
  assert.equal(keysMatch('', KEY), false);
  assert.equal(keysMatch(undefined, KEY), false);
  assert.equal(keysMatch(`${KEY}x`, KEY), false);
});

test('internalCheck: a predicate that is true only with the key, and with no key configured says why once and fails closed', () => {
  const req = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;
  const check = internalCheck();
  assert.equal(check(req({ 'x-internal-api-key': KEY })), true);
  assert.equal(check(req({ 'x-internal-api-key': [KEY, 'other'] })), true, 'the first of repeated headers counts, as in isInternal');
  assert.equal(check(req({})), false);
  assert.equal(check(req({ 'x-internal-api-key': 'wrong' })), false);
  assert.equal(internalCheck({ key: 'explicit' })(req({ 'x-internal-api-key': 'explicit' })), true);

  const saved = process.env.INTERNAL_API_KEY;
  delete process.env.INTERNAL_API_KEY;
  try {
    const lines: string[] = [];
    const closed = internalCheck({ log: (l) => lines.push(l) });
    assert.equal(closed(req({ 'x-internal-api-key': KEY })), false);
    assert.equal(closed(req({ 'x-internal-api-key': '' })), false);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /INTERNAL_API_KEY is not set: every request gets 401/);
  } finally {
    process.env.INTERNAL_API_KEY = saved;
  }
});
