/** plan/apply --target, as terraform -target: only those addresses and what they depend on, with a warning; a saved targeted plan applies only that. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { gatewayOf, getByHost, planJson, WEB } from './lifecycle-support.js';

const YAML = `name: tg
apps:
  web:
    processes: { web: node web.mjs }
    env: { GREETING: hello }
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      routes:
        root: { paths: [/api] }
`;

test('--target plans and applies only the targeted resources and what they depend on', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB }, shop: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('GREETING: hello', 'GREETING: targeted')
      .replace('        root: { paths: [/api] }\n', '        root: { paths: [/api] }\n    two:\n      app: web\n      routes:\n        r2: { paths: [/two] }\n'),
  );
  const all = ['apps.web.config', 'gateway.services.two', 'gateway.services.two.routes.r2'];
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => c.address).sort(), all);

  // A route's service is created with it: a dependency of the target.
  const route = await space.cli(['plan', '--json', '--target', 'gateway.services.two.routes.r2']);
  assert.equal(route.code, 0, route.stderr);
  const rj = JSON.parse(route.stdout) as { changes: { address: string }[]; warnings?: string[] };
  assert.deepEqual(rj.changes.map((c) => c.address), ['gateway.services.two', 'gateway.services.two.routes.r2']);
  assert.match(rj.warnings?.join('\n') ?? '', /^Resource targeting is in effect \(--target gateway\.services\.two\.routes\.r2\)/);
  const text = await space.cli(['plan', '--target', 'apps.web.config']);
  assert.match(text.stdout, /~ apps\.web\.config\n[\s\S]*Warning: Resource targeting is in effect[\s\S]*Plan: 0 to add, 1 to change, 0 to destroy, 0 to move\.\n$/);
  assert.doesNotMatch(text.stdout, /gateway\.services\.two/);

  // A typo and a malformed address change nothing.
  const typo = await space.cli(['apply', '--auto-approve', '--target', 'apps.wbe.config']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /--target apps\.wbe\.config: no resource at or under it .*; did you mean apps\.web\.config\?/);
  assert.equal((await space.cli(['apply', '--auto-approve', '--target', 'app.web'])).code, 2);

  // A saved targeted plan applies that alone, and keeps its targets.
  const saved = await space.cli(['plan', '--target', 'apps.web.config', '--out', 'config.plan']);
  assert.equal(saved.code, 0, saved.stderr);
  assert.equal((await space.cli(['apply', 'config.plan', '--target', 'apps.web'])).code, 2, 'a saved plan keeps its own targets');
  const apply = await space.cli(['apply', 'config.plan']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /apps\.web\.config: Modifications complete[\s\S]*Apply complete! Resources: 0 added, 1 changed, 0 destroyed, 0 moved\.\n\nWarning: Applied changes may be incomplete/);
  assert.equal((await space.cli(['config:get', 'GREETING', '-a', 'web'])).stdout.trim(), 'targeted');
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => c.address).sort(), all.slice(1), 'the rest is still pending');

  // A gateway service depends on the app it points at: targeting its route takes the new app along, and says so.
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .replace('apps:\n', 'apps:\n  shop:\n    root: shop\n    processes: { web: node web.mjs }\n')
      .replace('  services:\n', '  services:\n    shop:\n      app: shop\n      routes:\n        s: { paths: [/shop] }\n'),
  );
  const shop = await space.cli(['plan', '--json', '--target', 'gateway.services.shop.routes.s']);
  assert.equal(shop.code, 0, shop.stderr);
  const sj = JSON.parse(shop.stdout) as { changes: { address: string; action: string }[]; warnings?: string[] };
  assert.deepEqual(sj.changes.map((c) => `${c.action} ${c.address}`), ['create apps.shop', 'create apps.shop.config', 'create apps.shop.formation.web', 'create gateway.services.shop', 'create gateway.services.shop.routes.s']);
  assert.match(sj.warnings?.join('\n') ?? '', /The targets were expanded with what they depend on: apps\.shop, apps\.shop\.config, apps\.shop\.formation\.web, gateway\.services\.shop\./);
  const applied = await space.cli(['apply', '--auto-approve', '--target', 'gateway.services.shop.routes.s'], { timeoutMs: 60_000 });
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /apps\.shop: Creation complete[\s\S]*gateway\.services\.shop\.routes\.s: Creation complete/);
  const gw = await gatewayOf(space);
  const res = await getByHost(gw.listen, 'localhost', '/shop');
  assert.equal(res.status, 200, res.body);
  assert.equal((JSON.parse(res.body) as { app: string }).app, 'shop');
  // Everything of shop was applied and recorded: nothing left for it, not even an import.
  const rest = await planJson(space, ['--target', 'apps.shop']);
  assert.deepEqual([rest.code, rest.plan.changes, (rest.plan as { imports?: string[] }).imports], [0, [], undefined]);
});
