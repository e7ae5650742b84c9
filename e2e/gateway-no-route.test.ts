/**
 * The gateway's answer when no route matches, in a real space (`spaceport up`): a browser gets a 404 HTML page
 * listing the routes it can open (public apps' default routes, the file's plain-path GET routes), never an
 * internal app; every other client keeps Kong's JSON; the router line counts the page's bytes either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { FIXTURES, makeSpace } from './runtime-support.js';

const YAML = `name: noroute
apps:
  front:
    processes: { web: node web.mjs }
  shop:
    processes: { web: node web.mjs }
  secret:
    internal: true
    processes: { web: node web.mjs }
gateway:
  listen: 0
  workers: 1
  services:
    wasabi:
      app: shop
      routes:
        browse: { paths: [/wasabi], methods: [GET] }
        submit: { paths: [/submit], methods: [POST] }
        by-host: { hosts: [api.example.test], paths: [/v1] }
        pattern: { paths: ["~/items/\\\\d+"] }
`;

function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; type: string; length: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), length: Number(res.headers['content-length']), body }));
    });
    req.on('error', reject);
  });
}

test('no route matched: a browser gets the routes it can open, other clients Kong JSON', async (t) => {
  const space = makeSpace(t, YAML, { front: { 'web.mjs': FIXTURES['web.mjs']! }, shop: { 'web.mjs': FIXTURES['web.mjs']! }, secret: { 'web.mjs': FIXTURES['web.mjs']! } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services: { gateway: { listen: string } } };
  const port = Number(new URL(status.services.gateway.listen).port);

  const page = await get(port, '/', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'x-request-id': 'no-route-html-request-0001' });
  assert.equal(page.status, 404);
  assert.match(page.type, /^text\/html/);
  assert.equal(page.length, Buffer.byteLength(page.body));
  assert.match(page.body, /No route matches <code>GET 127\.0\.0\.1:\d+\/<\/code>/);
  assert.ok(page.body.includes(`<a href="http://front.localhost:${port}/">front.localhost:${port}</a>`), page.body);
  assert.ok(page.body.includes(`<a href="http://shop.localhost:${port}/">shop.localhost:${port}</a>`), page.body);
  assert.ok(page.body.includes('<a href="/wasabi">/wasabi</a> <span class="hint">(wasabi)</span>'), page.body);
  // Not for a browser: POST only, another host, a regex; never an internal app.
  for (const absent of ['/submit', '/v1', 'items', 'secret']) assert.ok(!page.body.includes(absent), `${absent} is not listed:\n${page.body}`);

  // The listed links work.
  const wasabi = await get(port, '/wasabi', { accept: 'text/html' });
  assert.equal(wasabi.status, 200);
  const front = await get(port, '/', { host: `front.localhost:${port}`, accept: 'text/html' });
  assert.equal(front.status, 200);

  // Everyone else: Kong's JSON, as before.
  for (const accept of [undefined, '*/*', 'application/json']) {
    const r = await get(port, '/nothing', accept ? { accept } : {});
    assert.equal(r.status, 404);
    assert.match(r.type, /^application\/json/);
    assert.equal((JSON.parse(r.body) as { message: string }).message, 'no Route matched with those values');
  }

  const logs = await space.cli(['logs', '-s', 'router', '-n', '50']);
  assert.match(logs.stdout, new RegExp(`request_id=no-route-html-request-0001 .*status=404 bytes=${page.length} `), logs.stdout);
});
