import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './handler.js';

const KEY = 'dash-test-key-1234';
let server: Server;
let base = '';
let stats: unknown = { totals: { click: 7, pageload: 3 }, products: [], minutes: [] };
before(async () => {
  server = createServer(createHandler({ authorized: (req) => req.headers['x-internal-api-key'] === KEY, initialStats: async () => stats }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers: { 'x-internal-api-key': KEY, ...headers }, redirect: 'manual' });

test('without the internal key the dashboard answers 401', async () => {
  assert.equal((await fetch(base + '/dashboard')).status, 401);
});

test('the page embeds the first stats snapshot and loads Socket.io from the gateway, not a CDN', async () => {
  const html = await (await get('/dashboard')).text();
  assert.match(html, /window\.EDM_BOOT = \{"stats":\{"totals":\{"click":7,"pageload":3\}/);
  assert.match(html, /<script src="\/socket.io\/socket.io.js"><\/script>/);
  assert.doesNotMatch(html, /src="https?:/);
  stats = undefined;
  assert.match(await (await get('/dashboard')).text(), /window\.EDM_BOOT = \{"stats":null\}/);
});

test('static files are served under /dashboard, others are 404', async () => {
  for (const f of ['app.js', 'charts.js', 'styles.css']) assert.equal((await get(`/dashboard/${f}`)).status, 200, f);
  assert.equal((await get('/dashboard/server.js')).status, 404);
  const r = await getWithHost(base + '/dashboard', 'edm-dashboard.localhost:8000', KEY);
  assert.equal(r.status, 302);
  assert.equal(r.location, 'http://localhost:8000/dashboard');
});

/** GET with a chosen Host header (fetch does not let a caller set Host). */
function getWithHost(url: string, host: string, key: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { host, 'x-internal-api-key': key } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    })
      .on('error', reject)
      .end();
  });
}
