import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceLine } from './status-format.js';

test('status shows state, addresses and problems of a service, not its internal counters (those stay in --json)', () => {
  const gateway = { listen: 'http://127.0.0.1:8000', admin: 'http://127.0.0.1:46185', internal: { 'edm-relay': 'http://127.0.0.1:44819' }, workers: 2, routes: 10, lastSwapMs: 5.5, lastSwapCpuMs: 3.1, errors: [] };
  assert.equal(serviceLine('gateway', gateway), 'gateway: listen http://127.0.0.1:8000, admin http://127.0.0.1:46185, internal: edm-relay http://127.0.0.1:44819');
  assert.equal(serviceLine('gateway', { ...gateway, internal: {}, errors: ['bind EADDRINUSE 127.0.0.1:8000'] }), 'gateway: listen http://127.0.0.1:8000, admin http://127.0.0.1:46185, errors: bind EADDRINUSE 127.0.0.1:8000');
  const db = { type: 'postgres', embedded: true, external: false, state: 'up', version: '15.18', port: 37193, url: 'postgres://u:*****@127.0.0.1:37193/d', pid: 8519, restarts: 0, data: '/s/.spaceport/postgres/db/data' };
  assert.equal(serviceLine('addons.db', db), 'addons.db: up, postgres, embedded, version 15.18, url postgres://u:*****@127.0.0.1:37193/d, data /s/.spaceport/postgres/db/data, pid 8519');
  assert.match(serviceLine('addons.db', { ...db, state: 'restarting', restarts: 3 })!, /^addons\.db: restarting, .*, restarts 3$/);
  assert.equal(serviceLine('lifecycle', { resources: 40 }), undefined);
});
