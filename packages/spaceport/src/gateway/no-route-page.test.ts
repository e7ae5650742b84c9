import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledGateway } from './compile.js';
import type { GatewayEntities, RouteEntity, ServiceEntity } from './entities.js';
import { browsableRoutes, noRoutePage } from './no-route-page.js';

function service(name: string, app: string, extra: Partial<ServiceEntity> = {}): ServiceEntity {
  return { id: `s-${name}`, name, app, process: 'web', expose_internal: false, retries: 0, connect_timeout: 1, read_timeout: 1, write_timeout: 1, load_balancing: 'round-robin', tags: [], ...extra };
}
function route(name: string, svc: string, extra: Partial<RouteEntity> = {}): RouteEntity {
  return { id: `r-${name}`, name, service: `s-${svc}`, hosts: [], paths: [], methods: [], headers: {}, strip_path: true, preserve_host: false, regex_priority: 0, tags: [], ...extra };
}
/** Only what the page reads of a compiled config. */
function gateway(entities: GatewayEntities, apps: CompiledGateway['config']['apps']): CompiledGateway {
  return { config: { entities, apps } } as unknown as CompiledGateway;
}

const entities: GatewayEntities = {
  services: [service('web-default', 'web', { tags: ['default'] }), service('docs', 'web'), service('stats', 'stats'), service('public-stats', 'stats', { expose_internal: true })],
  routes: [
    route('web-default', 'web-default', { hosts: ['web.localhost'], tags: ['default'] }),
    route('docs', 'docs', { paths: ['/docs/<b>&"x"'] }),
    route('evil', 'docs', { paths: ['//evil.example'] }),
    route('peek', 'stats', { paths: ['/stats-hidden'] }),
    route('open', 'public-stats', { paths: ['/api/stats'], methods: ['GET', 'HEAD'] }),
    route('header', 'docs', { paths: ['/needs-header'], headers: { 'x-v': ['1'] } }),
  ],
  consumers: [],
  plugins: [],
};
const apps = { web: { internal: false }, stats: { internal: true } };

test('lists default routes and plain-path GET routes; never a hidden internal one, never a link off the host', () => {
  const rows = browsableRoutes(gateway(entities, apps), 8123);
  assert.deepEqual(
    rows.map((r) => r.href),
    ['http://web.localhost:8123/', '/api/stats', '/docs/<b>&"x"'],
  );
});

test('every name and path is escaped; the request shown is escaped too', () => {
  const html = noRoutePage(gateway(entities, apps), 80, true, 'GET 127.0.0.1/<script>', 'req-1');
  assert.ok(html.includes('<a href="/docs/&lt;b&gt;&amp;&quot;x&quot;">/docs/&lt;b&gt;&amp;&quot;x&quot;</a>'), html);
  assert.ok(html.includes('<a href="http://web.localhost/">web.localhost</a>'), 'port 80 is left out');
  assert.ok(html.includes('<code>GET 127.0.0.1/&lt;script&gt;</code>'));
  assert.ok(!html.includes('<script>'));
  assert.ok(!html.includes('stats-hidden'));
});

test('a client from another machine gets the 404 page without the list', () => {
  const html = noRoutePage(gateway(entities, apps), 8000, false, 'GET x/', 'req-2');
  assert.match(html, /404: no route matched/);
  assert.ok(!html.includes('web.localhost') && !html.includes('/api/stats'), html);
  assert.match(html, /shown to clients on the gateway's own machine only/);
});

test('no browsable route: the page says how to add one', () => {
  const html = noRoutePage(gateway({ services: [], routes: [], consumers: [], plugins: [] }, {}), 8000, true, 'GET x/', 'req-3');
  assert.match(html, /has no route a browser can open/);
});
