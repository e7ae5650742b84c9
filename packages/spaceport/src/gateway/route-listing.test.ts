import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeRows, routeTable } from './route-listing.js';
import type { GatewayEntities } from './entities.js';

test('routes: a route that matches on headers shows them (it read as matching every request to its paths)', () => {
  const route = (id: string, headers: Record<string, string[]>) => ({ id, name: id, service: 's', hosts: [], paths: ['/api'], methods: [], headers, strip_path: true, preserve_host: false, regex_priority: 0, tags: [] });
  const e: GatewayEntities = {
    services: [{ id: 's', name: 'api', app: 'api', process: 'web', expose_internal: false, retries: 5, connect_timeout: 5000, read_timeout: 30000, write_timeout: 30000, load_balancing: 'round-robin', tags: [] }],
    routes: [route('v2', { 'x-version': ['2', '2.1'] }), route('v1', {})],
    consumers: [],
    plugins: [],
  };
  const rows = routeRows(e);
  assert.deepEqual(rows[0]!.headers, { 'x-version': ['2', '2.1'] });
  assert.deepEqual(routeTable(rows), [
    ['ROUTE', 'HOSTS', 'PATHS', 'METHODS', 'HEADERS', 'SERVICE', 'TARGET', 'PLUGINS'],
    ['v2', '*', '/api', '*', 'x-version:2|2.1', 'api', 'api/web', '-'],
    ['v1', '*', '/api', '*', '*', 'api', 'api/web', '-'],
  ]);
  assert.deepEqual(routeTable(rows.slice(1))[0], ['ROUTE', 'HOSTS', 'PATHS', 'METHODS', 'SERVICE', 'TARGET', 'PLUGINS'], 'no HEADERS column when no route has headers');
});
