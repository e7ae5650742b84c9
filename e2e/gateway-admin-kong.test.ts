/**
 * The admin API as a Kong client meets it: pages (`size`, `offset`, `next`), Kong's error bodies (`code`, `name`,
 * `message`, `fields`), 409 on a taken name or key, and a 400 naming the field for a value of the wrong type
 * (such values used to be dropped for the default without a word).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appService, emptyEntities, request, startBackend, startGateway, stopAll, type Gateway } from './gateway-support.js';

let gw: Gateway;
const admin = async (method: string, path: string, body?: unknown) => {
  const r = await request(gw.adminPort, path, {
    method,
    headers: { authorization: `Bearer ${gw.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: r.body ? r.json<Record<string, unknown>>() : {} };
};

before(async () => {
  const b = await startBackend('web.1');
  const e = emptyEntities();
  for (const n of ['r1', 'r2', 'r3', 'r4', 'r5']) {
    const x = appService(`s-${n}`, 'api', { name: n, paths: [`/${n}`] });
    e.services.push(x.service);
    e.routes.push(x.route);
  }
  gw = await startGateway({ entities: e, apps: { api: { internal: false } }, dynos: [{ app: 'api', type: 'web', dyno: 'web.1', port: b.port, state: 'up' }] });
});
after(() => stopAll());

test('lists page by size and offset, and next leads through every entity once', async () => {
  const whole = await admin('GET', '/routes');
  assert.equal((whole.json.data as unknown[]).length, 5);
  assert.equal(whole.json.next, null);
  const names: string[] = [];
  let path: string | null = '/routes?size=2';
  const sizes: number[] = [];
  while (path) {
    const p = await admin('GET', path);
    assert.equal(p.status, 200);
    const data = p.json.data as { name: string }[];
    sizes.push(data.length);
    names.push(...data.map((r) => r.name));
    if (p.json.next !== null) assert.equal(p.json.next, `/routes?offset=${encodeURIComponent(String(p.json.offset))}&size=2`);
    path = p.json.next as string | null;
  }
  assert.deepEqual(sizes, [2, 2, 1]);
  assert.deepEqual(names, ['r1', 'r2', 'r3', 'r4', 'r5']);

  const bad = await admin('GET', '/routes?size=0');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json, { code: 9, name: 'invalid size', message: 'size must be an integer between 1 and 1000' });
  assert.equal((await admin('GET', '/services?size=abc')).status, 400);
  const off = await admin('GET', '/routes?offset=garbage');
  assert.equal(off.status, 400);
  assert.equal(off.json.name, 'invalid offset');
  assert.match(String(off.json.message), /'garbage' is not a valid offset: pass the offset a previous page returned/);
});

test('a wrong type is a 400 schema violation naming the field, not a silent default', async () => {
  const svc = await admin('POST', '/services', { name: 'x', app: 'api', retries: 'five', load_balancing: 'least_connections' });
  assert.equal(svc.status, 400);
  assert.equal(svc.json.name, 'schema violation');
  assert.equal(svc.json.code, 2);
  assert.match(String(svc.json.message), /^schema violation \(retries: expected an integer from 0 to 32767, got the string "five"\)$/);
  assert.deepEqual(svc.json.fields, { retries: 'expected an integer from 0 to 32767, got the string "five"' });
  const lb = await admin('POST', '/services', { name: 'x', app: 'api', load_balancing: 'least_connections' });
  assert.match(String(lb.json.message), /load_balancing: expected one of: round-robin, least-connections, got the string "least_connections" \(did you mean "least-connections"\?\)/);
  const strip = await admin('POST', '/routes', { service: { name: 's-r1' }, paths: ['/y'], strip_path: 'false' });
  assert.equal(strip.status, 400);
  assert.deepEqual(Object.keys(strip.json.fields as object), ['strip_path']);
  const typo = await admin('POST', '/routes', { service: { name: 's-r1' }, paths: ['/y'], strip_paths: false });
  assert.equal(typo.status, 400);
  assert.match(String(typo.json.message), /strip_paths: unknown field \(did you mean "strip_path"\?\)/);
  const plugin = await admin('POST', '/plugins', { name: 'rate-limiting', config: { minute: 'lots' } });
  assert.equal(plugin.status, 400);
  assert.deepEqual(Object.keys((plugin.json.fields as { config: object }).config), ['minute'], 'fields nest config.minute as Kong does');
  assert.equal(((await admin('GET', '/services')).json.data as unknown[]).length, 5, 'nothing was created');
  const ok = await admin('POST', '/services', { name: 'x', app: 'api', retries: 2, load_balancing: 'least-connections', protocol: 'http' });
  assert.equal(ok.status, 201, 'Kong fields it does not use (protocol) are still ignored');
  assert.equal(ok.json.load_balancing, 'least-connections');
});

test('a taken name or key is a 409 unique violation, with what to do', async () => {
  const dup = await admin('POST', '/services', { name: 's-r1', app: 'api' });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.name, 'unique constraint violation');
  assert.equal(dup.json.code, 5);
  assert.deepEqual(dup.json.fields, { name: 's-r1' });
  assert.match(String(dup.json.message), /^UNIQUE violation detected on '\{name="s-r1"\}': a service with that name exists already \(id [^)]+\): change it with PATCH \/services\/s-r1, or pick another name$/);
  assert.equal((await admin('POST', '/consumers', { username: 'ann' })).status, 201);
  assert.deepEqual((await admin('POST', '/consumers', { username: 'ann' })).json.fields, { username: 'ann' });
  const key = await admin('POST', '/consumers/ann/key-auth', { key: 'ann-key-00001' });
  assert.equal(key.status, 201);
  assert.deepEqual((await admin('GET', `/consumers/ann/key-auth/${String(key.json.id)}`)).json, key.json, 'a credential reads back by id');
  assert.equal((await admin('POST', '/consumers', { username: 'bob' })).status, 201);
  const taken = await admin('POST', '/consumers/bob/key-auth', { key: 'ann-key-00001' });
  assert.equal(taken.status, 409);
  assert.deepEqual(taken.json.fields, { key: 'ann-key-00001' });
});

test("Kong's docs' calls work as written: form bodies (curl --data) and POST /services/{s}/plugins", async () => {
  const form = async (method: string, path: string, fields: [string, string][]) => {
    const r = await request(gw.adminPort, path, {
      method,
      headers: { authorization: `Bearer ${gw.adminToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: r.status, json: r.json<Record<string, unknown>>() };
  };
  const svc = await form('POST', '/services', [['name', 'formed'], ['app', 'api'], ['retries', '3'], ['expose_internal', 'false']]);
  assert.equal(svc.status, 201, JSON.stringify(svc.json));
  assert.equal(svc.json.retries, 3);
  const route = await form('POST', '/services/formed/routes', [['name', 'formed-route'], ['paths[]', '/formed'], ['methods', 'GET'], ['methods', 'POST'], ['strip_path', 'false']]);
  assert.equal(route.status, 201, JSON.stringify(route.json));
  assert.deepEqual([route.json.paths, route.json.methods, route.json.strip_path], [['/formed'], ['GET', 'POST'], false]);
  const plugin = await form('POST', '/services/formed/plugins', [['name', 'rate-limiting'], ['config.minute', '5'], ['config.limit_by', 'ip']]);
  assert.equal(plugin.status, 201, JSON.stringify(plugin.json));
  assert.deepEqual(plugin.json.config, { minute: 5, limit_by: 'ip' });
  assert.deepEqual(plugin.json.service, { id: svc.json.id });
  const keyAuth = await form('POST', '/routes/formed-route/plugins', [['name', 'key-auth'], ['config.key_names', 'x-key']]);
  assert.equal(keyAuth.status, 201, JSON.stringify(keyAuth.json));
  assert.deepEqual(keyAuth.json.config, { key_names: ['x-key'] }, 'a one-item list from one form value, as its schema wants');
  const twice = await admin('POST', '/services/formed/plugins', { name: 'rate-limiting', config: { minute: 9 } });
  assert.equal(twice.status, 409, 'one rate-limiting per scope, as Kong keys plugins (two left which one runs to chance)');
  assert.match(String(twice.json.message), /this scope has a rate-limiting plugin already \(id [^)]+\): change it with PATCH \/plugins\//);
  const patched = await form('PATCH', `/plugins/${String(plugin.json.id)}`, [['config.minute', '10']]);
  assert.equal(patched.status, 200, JSON.stringify(patched.json));
  assert.deepEqual(patched.json.config, { minute: 10, limit_by: 'ip' }, 'PATCH merges the config, as Kong does (limit_by was dropped)');
  const reset = await admin('PATCH', `/plugins/${String(plugin.json.id)}`, { config: { limit_by: null } });
  assert.deepEqual(reset.json.config, { minute: 10 }, 'null goes back to the default');
  const put = await admin('PUT', `/plugins/${String(plugin.json.id)}`, { config: { hour: 100 } });
  assert.deepEqual(put.json.config, { hour: 100 }, 'PUT replaces it');
  assert.ok(((await admin('GET', '/plugins/enabled')).json.enabled_plugins as string[]).includes('rate-limiting'), "Kong's GET /plugins/enabled");
  const listed = await admin('GET', '/services/formed/plugins');
  assert.deepEqual((listed.json.data as { name: string }[]).map((p) => p.name), ['rate-limiting']);
  const bad = await form('POST', '/services/formed/plugins', [['name', 'rate-limiting'], ['config.minute', 'lots']]);
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys((bad.json.fields as { config: object }).config), ['minute']);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/formed/x')).status, 401, 'the route and its key-auth are live');
});

test("Kong's basic-auth and acl credential endpoints of a consumer edit its basic and groups, live", async () => {
  assert.equal((await admin('POST', '/services', { name: 'guarded', app: 'api' })).status, 201);
  assert.equal((await admin('POST', '/services/guarded/routes', { name: 'guarded-route', paths: ['/guarded'] })).status, 201);
  assert.equal((await admin('POST', '/routes/guarded-route/plugins', { name: 'basic-auth' })).status, 201);
  assert.equal((await admin('POST', '/routes/guarded-route/plugins', { name: 'acl', config: { allow: ['ops'] } })).status, 201);
  assert.equal((await admin('POST', '/consumers', { username: 'carol' })).status, 201);
  const cred = await admin('POST', '/consumers/carol/basic-auth', { username: 'carol-login', password: 's3cret' });
  assert.equal(cred.status, 201, JSON.stringify(cred.json));
  assert.equal(cred.json.username, 'carol-login');
  assert.equal('password' in cred.json, false, 'the password is never shown');
  assert.equal((await admin('POST', '/consumers/carol/basic-auth', { username: 'carol-login', password: 'x' })).status, 409);
  const auth = { authorization: `Basic ${Buffer.from('carol-login:s3cret').toString('base64')}` };
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/guarded/x', { headers: auth })).status, 403, 'authenticated, not in an allowed group');
  const acl = await admin('POST', '/consumers/carol/acls', { group: 'ops' });
  assert.equal(acl.status, 201);
  assert.deepEqual(((await admin('GET', '/consumers/carol/acls')).json.data as { group: string }[]).map((g) => g.group), ['ops']);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/guarded/x', { headers: auth })).status, 200);
  assert.equal((await admin('DELETE', `/consumers/carol/basic-auth/${String(cred.json.id)}`)).status, 204);
  assert.deepEqual((await admin('GET', '/consumers/carol/basic-auth')).json.data, []);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request(gw.port, '/guarded/x', { headers: auth })).status, 401);
});

test('a route host written as a URL or with a path is a 400 naming it (it was kept and never matched); a short key is a schema violation', async () => {
  for (const [host, why] of [
    ['http://api.test', /"http:\/\/api\.test" is a URL: write the host name alone, like api\.test/],
    ['api.test/v1', /"api\.test\/v1" has a path: write the host name alone, like api\.test/],
    ['api test', /"api test" is not a host name/],
  ] as const) {
    const r = await admin('POST', '/routes', { service: { name: 's-r1' }, hosts: [host], paths: ['/h'] });
    assert.equal(r.status, 400, host);
    assert.equal(r.json.name, 'schema violation');
    assert.match(String((r.json.fields as { hosts: string }).hosts), why);
  }
  for (const host of ['api.test', '*.api.test', 'api.*', 'api.test:8000', '[::1]', '127.0.0.1']) {
    const r = await admin('POST', '/routes', { service: { name: 's-r1' }, hosts: [host], paths: ['/h'] });
    assert.equal(r.status, 201, `${host}: ${JSON.stringify(r.json)}`);
    assert.equal((await admin('DELETE', `/routes/${String(r.json.id)}`)).status, 204);
  }
  assert.equal((await admin('POST', '/consumers', { username: 'shorty' })).status, 201);
  const short = await admin('POST', '/consumers/shorty/key-auth', { key: 'short' });
  assert.equal(short.status, 400);
  assert.equal(short.json.name, 'schema violation', 'Kong\'s error body, not {message} alone');
  assert.match(String((short.json.fields as { key: string }).key), /at least 8 characters: send a longer one, or none to have one generated/);
  assert.equal((await admin('DELETE', '/consumers/shorty')).status, 204);
});
