/** What `up` prints once the space is up: a box with the URLs (outputs:, else each public app's default route). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpace, FIXTURES } from './runtime-support.js';

const yaml = (outputs: string) => `name: boxed
apps:
  shop:
    processes: { web: node app.mjs }
  back:
    internal: true
    processes: { web: node app.mjs }
gateway:
  listen: 0
  workers: 1
${outputs}`;

function gatewayUrl(box: string): string {
  const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(box);
  assert.ok(m, `no gateway URL in:\n${box}`);
  return m[0];
}

test('without outputs, the box lists the gateway and the default route of each public app, not internal ones', async (t) => {
  const space = makeSpace(t, yaml(''), { shop: { 'app.mjs': FIXTURES['web.mjs']! }, back: { 'app.mjs': FIXTURES['web.mjs']! } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stderr, /╭─+╮\n│  Space boxed is up: 2 dynos/);
  const port = new URL(gatewayUrl(up.stderr)).port;
  assert.match(up.stderr, new RegExp(`│  shop     http://shop\\.localhost:${port}/ +│`));
  assert.doesNotMatch(up.stderr, /back\.localhost/);
});

test('with outputs, the box shows them resolved and `spaceport output` answers right after up', async (t) => {
  const outputs = 'outputs:\n  storefront: { value: "${apps.shop.url}/catalog" }\n  api: "${gateway.url}/api"\n';
  const space = makeSpace(t, yaml(outputs), { shop: { 'app.mjs': FIXTURES['web.mjs']! }, back: { 'app.mjs': FIXTURES['web.mjs']! } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const gw = gatewayUrl(up.stderr);
  const port = new URL(gw).port;
  assert.match(up.stderr, new RegExp(`│  storefront  http://shop\\.localhost:${port}/catalog +│`));
  assert.match(up.stderr, new RegExp(`│  api         ${gw.replace(/\./g, '\\.')}/api +│`));
  const out = await space.cli(['output', 'api']);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout.trim(), `${gw}/api`);
});
