/**
 * Drift, end to end on a real space: plan after up shows nothing; a scale, a config:set and a route added
 * through the gateway's admin API are each detected (drift: true), then undone by apply or adopted into the
 * file (comments kept, diff checked exactly); two applies at once; a held lock names its holder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, ps } from './runtime-support.js';
import { admin, gatewayOf, planJson, WEB } from './lifecycle-support.js';

const YAML = `# Drift fixture: comments must survive plan --adopt.
name: drift
apps:
  web:
    processes: { web: node web.mjs }
    scale:
      web: 1 # one is plenty
    env:
      GREETING: hi # the greeting
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      routes:
        root: { paths: [/api] } # public API
`;

test('drift: detected, undone by apply, adopted into the file; concurrent applies; lock holder named', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB, 'version.txt': 'v1' } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);

  // Plan after up: nothing to do.
  let p = await planJson(space);
  assert.deepEqual(p.plan, { changes: [] });
  assert.equal(p.code, 0);

  // A scale by hand is drift; apply undoes it.
  assert.equal((await space.cli(['scale', 'web=2', '-a', 'web'])).code, 0);
  p = await planJson(space);
  assert.equal(p.code, 2);
  assert.deepEqual(p.plan.changes, [{ address: 'apps.web.formation.web', action: 'update', before: { count: 2 }, after: { count: 1 }, drift: true }]);
  const text = await space.cli(['plan']);
  assert.match(text.stdout, /# apps\.web\.formation\.web will be updated in place \(changed outside Spaceport\)\n {2}~ apps\.web\.formation\.web\n {6}~ count: 2 → 1\n/);
  assert.match(text.stdout, /Plan: 0 to add, 1 to change, 0 to destroy, 0 to move\./);
  const applied = await space.cli(['apply', '--auto-approve']);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /apps\.web\.formation\.web: Modifications complete after/);
  assert.equal((await ps(space, 'web')).filter((d) => d.type === 'web').length, 1);
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // A config:set by hand, adopted: the file says it, comments and layout kept.
  assert.equal((await space.cli(['config:set', 'GREETING=yo', 'EXTRA=1', '-a', 'web'])).code, 0);
  p = await planJson(space);
  assert.equal(p.plan.changes[0]?.address, 'apps.web.config');
  assert.equal(p.plan.changes[0]?.drift, true);
  const adopt = await space.cli(['plan', '--adopt']);
  assert.equal(adopt.code, 0, adopt.stderr);
  assert.match(adopt.stdout, /Adopted into .*spaceport\.yaml: apps\.web\.config/);
  assert.equal(readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8'), YAML.replace('GREETING: hi # the greeting', 'GREETING: yo # the greeting\n      EXTRA: "1"'));
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // A config:set by hand, undone: apply sets the file's vars again (a new release).
  assert.equal((await space.cli(['config:set', 'GREETING=zzz', '-a', 'web'])).code, 0);
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => [c.address, c.action, c.drift]), [['apps.web.config', 'update', true]]);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  const config = JSON.parse((await space.cli(['config', '-a', 'web', '--json'])).stdout) as Record<string, string>;
  assert.equal(config.GREETING, 'yo');
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // A route added through the admin API is drift: apply removes it.
  const gw = await gatewayOf(space);
  const added = await admin(gw, 'POST', '/services/api/routes', { name: 'sneaky', paths: ['/sneaky'] });
  assert.equal(added.status, 201);
  p = await planJson(space);
  assert.deepEqual(
    p.plan.changes.map((c) => [c.address, c.action, c.drift]),
    [['gateway.services.api.routes.sneaky', 'delete', true]],
  );
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  const routes = await admin<{ data: { name: string }[] }>(gw, 'GET', '/routes');
  assert.deepEqual(routes.body.data.map((r) => r.name).filter((n) => n === 'sneaky' || n === 'root'), ['root']);

  // A route added through the admin API, adopted: the file gains it, written like its sibling.
  assert.equal((await admin(gw, 'POST', '/services/api/routes', { name: 'health', paths: ['/health'], methods: ['GET'] })).status, 201);
  const beforeAdopt = readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8');
  assert.equal((await space.cli(['plan', '--adopt'])).code, 0);
  assert.equal(
    readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8'),
    beforeAdopt.replace('root: { paths: [/api] } # public API\n', 'root: { paths: [/api] } # public API\n        health: { paths: [/health], methods: [GET] }\n'),
  );
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // A renamed route with moved: the live route is renamed (same id), not deleted and re-created.
  const before = (await admin<{ data: { id: string; name: string }[] }>(gw, 'GET', '/routes')).body.data.find((r) => r.name === 'root')!;
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('root: { paths: [/api] }', 'main: { paths: [/api] }') + 'moved:\n  - { from: gateway.services.api.routes.root, to: gateway.services.api.routes.main }\n');
  p = await planJson(space);
  assert.deepEqual(p.plan.changes.map((c) => [c.action, c.from, c.address]), [['move', 'gateway.services.api.routes.root', 'gateway.services.api.routes.main']]);
  assert.equal((await space.cli(['apply', '--auto-approve'])).code, 0);
  const renamed = (await admin<{ data: { id: string; name: string }[] }>(gw, 'GET', '/routes')).body.data.find((r) => r.id === before.id);
  assert.equal(renamed?.name, 'main');
  assert.deepEqual((await planJson(space)).plan.changes, []);

  // Two applies at once: one waits for the other's lock; the change is made once.
  assert.equal((await space.cli(['scale', 'web=3', '-a', 'web'])).code, 0);
  const [a, b] = await Promise.all([space.cli(['apply', '--auto-approve']), space.cli(['apply', '--auto-approve'])]);
  assert.equal(a.code, 0, a.stdout + a.stderr);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  const outs = [a.stdout, b.stdout];
  assert.equal(outs.filter((o) => /Apply complete! Resources: 0 added, 1 changed/.test(o)).length, 1, outs.join('\n---\n'));
  assert.equal(outs.filter((o) => /No changes\./.test(o)).length, 1, outs.join('\n---\n'));
  assert.equal((await ps(space, 'web')).filter((d) => d.type === 'web').length, 1);

  // A lock held by a live process: apply fails at once naming its pid.
  mkdirSync(join(space.dir, '.spaceport'), { recursive: true });
  writeFileSync(join(space.dir, '.spaceport', 'apply.lock'), JSON.stringify({ pid: process.pid, what: 'spaceport apply', since: '2026-11-21T00:00:00Z' }));
  const locked = await space.cli(['apply', '--auto-approve', '--lock-timeout', '0']);
  assert.equal(locked.code, 1);
  assert.match(locked.stderr, new RegExp(`the state is locked by pid ${process.pid} \\(spaceport apply, since 2026-11-21T00:00:00Z\\)`));
});
