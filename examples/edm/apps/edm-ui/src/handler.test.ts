import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './handler.js';
import { PAGES, PRODUCTS, PAGE_SIZE, page } from './catalog.js';

const KEY = 'ui-test-key-1234';
let server: Server;
let base = '';
before(async () => {
  server = createServer(createHandler({ authorized: (req) => req.headers['x-internal-api-key'] === KEY }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers: { 'x-internal-api-key': KEY, ...headers }, redirect: 'manual' });

test('without the internal key the storefront answers 401', async () => {
  assert.equal((await fetch(base + '/')).status, 401);
  assert.equal((await fetch(base + '/health')).status, 401);
});

test('the grid has pages of products with view and add-to-cart buttons', async () => {
  const html = await (await get('/?page=2')).text();
  const ids = [...html.matchAll(/<article class="card" data-product="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, PRODUCTS.slice(PAGE_SIZE, 2 * PAGE_SIZE).map((p) => p.id));
  assert.equal([...html.matchAll(/data-action="cart"/g)].length, PAGE_SIZE);
  assert.match(html, /<span class="current">2<\/span>/);
  assert.equal(page(99).page, PAGES);
});

test('a product page, the catalog as JSON, static files and 404s', async () => {
  const p = PRODUCTS[3]!;
  const html = await (await get(`/products/${p.id}`)).text();
  assert.match(html, new RegExp(`"product":"${p.id}"`));
  const list = (await (await get('/products.json')).json()) as { id: string; name: string }[];
  assert.equal(list.length, PRODUCTS.length);
  assert.equal((await get('/static/app.js')).status, 200);
  assert.equal((await get('/products/nope')).status, 404);
  assert.equal((await get('/static/../package.json')).status, 404);
});

test('the default host route is sent to the path-routed storefront', async () => {
  const r = await getWithHost(base + '/?page=2', 'edm-ui.localhost:8000', KEY);
  assert.equal(r.status, 302);
  assert.equal(r.location, 'http://localhost:8000/?page=2');
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
