/** The admin API: token required, Kong-compatible entities, and changes that are live without a restart. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';

let gw: Gateway;
const admin = (method: string, path: string, body?: unknown, token: string | null = gw.adminToken) =>
  request(gw.adminPort, path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

before(async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  const x = appService('existing', 'api', { paths: ['/existing'] });
  e.services.push(x.service);
  e.routes.push(x.route);
  gw = await startGateway({
    entities: e,
    apps: { api: { internal: false }, secret: { internal: true } },
    dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }, { app: 'secret', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }],
  });
});
after(() => stopAll());

test('the admin API needs the token', async () => {
  assert.equal((await admin('GET', '/services', undefined, null)).status, 401);
  assert.equal((await admin('GET', '/services', undefined, 'wrong')).status, 401);
  const kong = await request(gw.adminPort, '/status', { headers: { 'kong-admin-token': gw.adminToken } });
  assert.equal(kong.status, 200);
  assert.equal(kong.json<{ server: { workers: number } }>().server.workers, 1);
});

test('services, routes, consumers, key-auth credentials and plugins change routing live', async () => {
  const list = await admin('GET', '/services');
  assert.deepEqual(list.json<{ data: { name: string }[] }>().data.map((s) => s.name), ['existing']);
  const svc = await admin('POST', '/services', { name: 'fresh', app: 'api' });
  assert.equal(svc.status, 201, svc.body);
  const route = await admin('POST', '/services/fresh/routes', { name: 'fresh-route', paths: ['/fresh'] });
  assert.equal(route.status, 201, route.body);
  assert.deepEqual(route.json<{ service: unknown }>().service, { id: svc.json<{ id: string }>().id });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/fresh/x')).json().url, '/x', 'the new route serves without a restart');

  assert.equal((await admin('POST', '/consumers', { username: 'carol' })).status, 201);
  const cred = await admin('POST', '/consumers/carol/key-auth', { key: 'carol-key-0001' });
  assert.equal(cred.status, 201, cred.body);
  assert.equal(cred.json<{ key: string }>().key, 'carol-key-0001');
  const generated = await admin('POST', '/consumers/carol/key-auth', {});
  assert.ok(generated.json<{ key: string }>().key.length >= 24, 'a key is generated when none is given');
  assert.equal((await admin('GET', '/consumers/carol/key-auth')).json<{ data: unknown[] }>().data.length, 2);
  const plugin = await admin('POST', '/plugins', { name: 'key-auth', service: { name: 'fresh' } });
  assert.equal(plugin.status, 201, plugin.body);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/fresh/x')).status, 401);
  assert.equal((await request(gw.port, '/fresh/x', { headers: { apikey: 'carol-key-0001' } })).json().headers['x-consumer-username'], 'carol');

  const patched = await admin('PATCH', `/routes/${route.json<{ id: string }>().id}`, { paths: ['/newer'] });
  assert.equal(patched.status, 200, patched.body);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/fresh/x')).status, 404);
  assert.equal((await request(gw.port, '/newer/x', { headers: { apikey: 'carol-key-0001' } })).status, 200);

  assert.equal((await admin('DELETE', `/plugins/${plugin.json<{ id: string }>().id}`)).status, 204);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/newer/x')).status, 200, 'open again once the plugin is gone');

  assert.equal((await admin('DELETE', '/services/fresh')).status, 204);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/newer/x')).status, 404, "deleting a service removes its routes");
  assert.equal((await admin('GET', '/routes/fresh-route')).status, 404);
});

test('bad input gets a 400 that says what is wrong', async () => {
  const rl = await admin('POST', '/plugins', { name: 'rate-limiting', config: {} });
  assert.equal(rl.status, 400);
  assert.match(rl.json().message!, /at least one limit/);
  const unknown = await admin('POST', '/plugins', { name: 'rate-limitng' });
  assert.match(unknown.json().message!, /unknown plugin "rate-limitng"/);
  const internal = await admin('POST', '/services', { name: 'hidden', app: 'secret' });
  assert.equal(internal.status, 201);
  const r = await admin('POST', '/routes', { service: { name: 'hidden' }, paths: ['/hidden'] });
  assert.equal(r.status, 400);
  assert.match(r.json().message!, /app "secret" is internal/);
  const regex = await admin('POST', '/routes', { service: { name: 'existing' }, paths: ['~/a(['] });
  assert.match(regex.json().message!, /invalid regex/);
  const dup = await admin('POST', '/services', { name: 'existing', app: 'api' });
  assert.equal(dup.status, 409);
  const cap = await admin('POST', '/services', { name: 'capped', app: 'api', max_conns: 0 });
  assert.equal(cap.status, 400);
  assert.match(cap.json().message!, /max_conns is a whole number of connections per dyno, at least 1/);
  const capped = await admin('POST', '/services', { name: 'capped', app: 'api', max_conns: 8, queue_timeout: 2000 });
  assert.equal(capped.status, 201);
  assert.equal(capped.json<{ max_conns: number; queue_timeout: number }>().max_conns, 8);
  const notJson = await request(gw.adminPort, '/services', { method: 'POST', headers: { authorization: `Bearer ${gw.adminToken}` }, body: '{nope' });
  assert.equal(notJson.status, 400);
  assert.match(notJson.json().message!, /JSON object/);
});
