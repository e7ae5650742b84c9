/** destroy --target, as terraform destroy -target: the target, what is under it and what depends on it go; the rest keeps running; the next plan creates them again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpace, ps } from './runtime-support.js';
import { gatewayOf, getByHost, planJson, WEB } from './lifecycle-support.js';

const YAML = `name: dt
apps:
  web:
    processes: { web: node web.mjs }
  other:
    processes: { web: node web.mjs }
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      routes:
        r: { paths: [/api] }
    side:
      app: other
      routes:
        s: { paths: [/side] }
`;

test('destroy --target apps.web destroys the app and the gateway service pointing at it, nothing else', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB }, other: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);

  const typo = await space.cli(['destroy', '--auto-approve', '--target', 'apps.wbe']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /--target apps\.wbe: nothing at or under it .*did you mean apps\.web\?; nothing was destroyed/);
  assert.equal((await space.cli(['destroy', '--target', 'apps.web'], { input: '' })).code, 1, 'asks first: no terminal, no --auto-approve');

  const r = await space.cli(['destroy', '--auto-approve', '--target', 'apps.web'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Destroyed too, because they depend on a destroyed resource .*: gateway\.services\.api \(on apps\.web\)/);
  assert.match(r.stdout, /Plan: 0 to add, 0 to change, 5 to destroy, 0 to move\./);
  for (const a of ['gateway.services.api.routes.r', 'gateway.services.api', 'apps.web']) assert.match(r.stdout, new RegExp(`${a.replace(/\./g, '\\.')}: Destruction complete`));
  assert.match(r.stdout, /Destroy complete! Resources: 5 destroyed\./);
  assert.doesNotMatch(r.stdout, /apps\.other|gateway\.services\.side/);

  assert.deepEqual((await ps(space)).map((d) => d.app), ['other'], 'web stopped, other still runs');
  const gw = await gatewayOf(space);
  assert.equal((await getByHost(gw.listen, 'localhost', '/side')).status, 200);
  assert.equal((await getByHost(gw.listen, 'localhost', '/api')).status, 404, 'the route went with its service');
  assert.deepEqual((await space.cli(['state', 'list'])).stdout.trim().split('\n'), ['apps.other', 'apps.other.config', 'apps.other.formation.web', 'gateway.services.side', 'gateway.services.side.routes.s']);

  // The file still declares them: the next plan creates them again, and apply does.
  const again = await planJson(space);
  assert.deepEqual(again.plan.changes.map((c) => `${c.action} ${c.address}`).sort(), ['create apps.web', 'create apps.web.config', 'create apps.web.formation.web', 'create gateway.services.api', 'create gateway.services.api.routes.r']);
  const apply = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  assert.equal((await getByHost(gw.listen, 'localhost', '/api')).status, 200);
});
