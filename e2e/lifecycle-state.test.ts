/** `spaceport state list|show`, as terraform state list|show: the addresses plan prints, secrets masked, read-only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { WEB } from './lifecycle-support.js';

const YAML = `name: st
apps:
  web:
    processes: { web: node web.mjs }
    env: { GREETING: hello, SESSION_SECRET: s3cret-value-1 }
gateway:
  listen: 127.0.0.1:0
  workers: 1
  services:
    api:
      app: web
      routes:
        root: { paths: [/api] }
  consumers:
    bob:
      basic: [{ username: bob, password: file-pass-1 }]
      keys: [bob-key-0001]
`;

test('state list prints every address in state (or those under a prefix); state show one, secrets masked', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const stateFile = join(space.dir, '.spaceport', 'state.json');
  const before = readFileSync(stateFile, 'utf8');

  const list = await space.cli(['state', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(
    list.stdout,
    ['apps.web', 'apps.web.config', 'apps.web.formation.web', 'gateway.consumers.bob', 'gateway.services.api', 'gateway.services.api.routes.root', ''].join('\n'),
  );
  assert.equal((await space.cli(['state', 'list', 'apps.web'])).stdout, 'apps.web\napps.web.config\napps.web.formation.web\n');
  assert.equal((await space.cli(['state', 'list', 'gateway.consumers', 'apps.web.config'])).stdout, 'apps.web.config\ngateway.consumers.bob\n');
  const none = await space.cli(['state', 'list', 'apps.we']);
  assert.deepEqual([none.code, none.stdout], [0, ''], 'apps.we is not a prefix of apps.web');
  assert.equal((await space.cli(['state', 'list', 'app.web'])).code, 2);

  const config = await space.cli(['state', 'show', 'apps.web.config']);
  assert.equal(config.code, 0, config.stderr);
  assert.match(config.stdout, /^# apps\.web\.config:\nconfig "apps\.web\.config" \{\n    id   = "[0-9a-f-]{36}"\n    vars = \{\n        GREETING       = "hello"\n        SESSION_SECRET = \(sensitive value\)\n    \}\n\}\n$/);
  const bob = await space.cli(['state', 'show', 'gateway.consumers.bob']);
  assert.equal(bob.code, 0, bob.stderr);
  assert.match(bob.stdout, /\n    keys   = \(sensitive value\)\n/);
  assert.match(bob.stdout, /\n            password        = \(sensitive value\)\n            password_sha256 = \(sensitive value\)\n            username        = "bob"\n/);
  const app = (await space.cli(['state', 'show', 'apps.web'])).stdout;
  assert.match(app, /\n    boot_timeout = 60s\n/);
  assert.match(app, /\n    processes    = \{\n        web = "node web\.mjs"\n    \}\n/);
  for (const out of [config.stdout, bob.stdout, app]) assert.doesNotMatch(out, /s3cret-value-1|file-pass-1|bob-key-0001/);

  const typo = await space.cli(['state', 'show', 'apps.wbe']);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /^spaceport: no resource apps\.wbe in state; did you mean apps\.web\? \(`spaceport state list` prints every address in state\)\n$/);
  const partial = await space.cli(['state', 'show', 'apps.web.formation']);
  assert.match(partial.stderr, /apps\.web\.formation is not a resource, the resources under it are: apps\.web\.formation\.web/);

  // Read-only, and answered from the file alone: with the space stopped too.
  assert.equal(readFileSync(stateFile, 'utf8'), before);
  assert.equal((await space.cli(['down'], { timeoutMs: 30_000 })).code, 0);
  assert.match((await space.cli(['state', 'show', 'gateway.services.api.routes.root'])).stdout, /\n    paths          = \[\n        "\/api",\n    \]\n/);
});
