/**
 * The gateway inside a real space (`spaceport up`): default routes for public apps, internal apps reached
 * only through the internal router at <APP>_URL with the internal key, crafted Host headers refused,
 * `spaceport routes`, router lines in `spaceport logs`, and the admin token file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpace, ps } from './runtime-support.js';
import { freePort } from './gateway-support.js';

const INTERNAL_AUTH = fileURLToPath(new URL('../packages/internal-auth/dist/index.js', import.meta.url));

const FRONT = `import http from 'node:http';
http.createServer(async (req, res) => {
  if (req.url === '/call') {
    const r = await fetch(process.env.STATS_URL + '/numbers');
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: r.status, body: await r.text() }));
  }
  res.end(JSON.stringify({ app: 'front', host: req.headers.host, key: req.headers['x-internal-api-key'] === process.env.INTERNAL_API_KEY, statsUrl: process.env.STATS_URL }));
}).listen(Number(process.env.PORT), '127.0.0.1');`;

const STATS = `import http from 'node:http';
import { checkInternal } from ${JSON.stringify(INTERNAL_AUTH)};
http.createServer((req, res) => {
  if (!checkInternal(req, res)) return;
  res.end('42');
}).listen(Number(process.env.PORT), '127.0.0.1');`;

function get(port: number, path: string, host?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: host ? { host } : {}, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

test('a space behind the gateway: default routes, internal router, internal key, routes, logs', async (t) => {
  const port = await freePort();
  const yaml = `name: gw
gateway:
  listen: 127.0.0.1:${port}
  workers: 1
apps:
  front:
    processes: { web: node front.mjs }
  stats:
    internal: true
    processes: { web: node stats.mjs }
`;
  const space = makeSpace(t, yaml, { front: { 'front.mjs': FRONT }, stats: { 'stats.mjs': STATS } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);

  const front = await get(port, '/', 'front.localhost');
  assert.equal(front.status, 200, front.body);
  const body = JSON.parse(front.body) as { app: string; host: string; key: boolean; statsUrl: string };
  assert.equal(body.app, 'front');
  assert.equal(body.host, 'front.localhost', 'default routes preserve the host');
  assert.equal(body.key, true, 'the backend got the space key');
  assert.match(body.statsUrl, /^http:\/\/127\.0\.0\.1:\d+$/);

  const crafted = await get(port, '/numbers', 'stats.localhost');
  assert.equal(crafted.status, 404, 'a crafted Host never reaches an internal app');

  const call = JSON.parse((await get(port, '/call', 'front.localhost')).body) as { status: number; body: string };
  assert.deepEqual(call, { status: 200, body: '42' }, 'front reaches stats through STATS_URL with the key');

  const statsDyno = (await ps(space, 'stats'))[0]!;
  const direct = await get(statsDyno.port, '/numbers');
  assert.equal(direct.status, 401, 'internal-auth rejects a direct call to the dyno port');

  const routes = await space.cli(['routes', '--json']);
  assert.equal(routes.code, 0, routes.stderr);
  const rows = JSON.parse(routes.stdout) as { route: string; hosts: string[]; target: string }[];
  assert.deepEqual(rows.map((r) => [r.route, r.hosts, r.target]), [['front-default', ['front.localhost'], 'front/web']]);
  const text = await space.cli(['routes']);
  assert.match(text.stdout, /ROUTE\s+HOSTS\s+PATHS/);

  const logs = await space.cli(['logs', '-n', '200']);
  assert.match(logs.stdout, /router\[(front\.)?router\]: at=info method=GET path="\/" host=front\.localhost .*status=200/);
  assert.match(logs.stdout, /router\[(stats\.)?router\]: at=info method=GET path="\/numbers" .*dyno=web\.1 .*status=200/);
  assert.ok(!logs.stdout.includes(JSON.parse(JSON.stringify(space.state())).internalApiKey ?? 'never'), 'no key in logs');

  const status = await space.cli(['status']);
  assert.match(status.stdout, new RegExp(`gateway: listen http://127\\.0\\.0\\.1:${port}, admin http://127\\.0\\.0\\.1:\\d+, internal: stats http://127\\.0\\.0\\.1:\\d+`));

  const mode = statSync(join(space.dir, '.spaceport', 'admin-token')).mode & 0o777;
  assert.equal(mode, 0o600);
});

test('the default listen address moves to a fresh port when its recorded port is taken at bind time', async (t) => {
  // A program took the port this space recorded for the default address (or another space won a race for it).
  const squatter = http.createServer((_req, res) => res.end('squatter'));
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  t.after(() => squatter.close());
  const taken = (squatter.address() as { port: number }).port;
  const space = makeSpace(t, `name: gwport\ngateway:\n  workers: 1\napps:\n  front:\n    processes: { web: node front.mjs }\n`, { front: { 'front.mjs': FRONT } });
  mkdirSync(join(space.dir, '.spaceport'), { recursive: true, mode: 0o700 });
  writeFileSync(join(space.dir, '.spaceport', 'state.json'), JSON.stringify({ version: 2, ports: { 'gateway:public': taken } }), { mode: 0o600 });

  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const recorded = (space.state() as unknown as { ports: Record<string, number> }).ports['gateway:public']!;
  assert.notEqual(recorded, taken);
  const front = await get(recorded, '/', 'front.localhost');
  assert.equal(front.status, 200, front.body);
  assert.equal((JSON.parse(front.body) as { app: string }).app, 'front');
  const status = await space.cli(['status']);
  assert.match(status.stdout, new RegExp(`gateway: listen http://127\\.0\\.0\\.1:${recorded},`));
});

test('a listen address written in the file is used as is: a taken port fails up with what to do', async (t) => {
  const squatter = http.createServer((_req, res) => res.end('squatter'));
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  t.after(() => squatter.close());
  const taken = (squatter.address() as { port: number }).port;
  const space = makeSpace(t, `name: gwfixed\ngateway:\n  listen: 127.0.0.1:${taken}\n  workers: 1\napps:\n  front:\n    processes: { web: node front.mjs }\n`, { front: { 'front.mjs': FRONT } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 1);
  assert.match(up.stderr, new RegExp(`EADDRINUSE 127\\.0\\.0\\.1:${taken} \\(another process uses the port: stop it or change gateway\\.listen\\)`));
});
