import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace } from './runtime-support.js';

// An internal app renamed with moved: in a running space: its old listener closed, but API_URL stayed in every
// new dyno's env (run, restarts) and in status, pointing at a closed port.
test('an internal app renamed by apply leaves the internal router list: no dyno gets the old <APP>_URL', async (t) => {
  const yaml = (name: string, moved = '') =>
    `name: irn\napps:\n  web:\n    processes: { web: node web.mjs }\n  ${name}:\n    internal: true\n    processes: { web: node web.mjs }\n${moved}`;
  const space = makeSpace(t, yaml('api'), { web: { 'web.mjs': FIXTURES['web.mjs']! }, api: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const env = async () => (await space.cli(['run', '-a', 'web', 'env'])).stdout;
  assert.match(await env(), /^API_URL=http:\/\/127\.0\.0\.1:\d+$/m);

  renameSync(join(space.dir, 'api'), join(space.dir, 'backend'));
  const file = join(space.dir, 'spaceport.yaml');
  writeFileSync(file, `${yaml('backend', 'moved:\n  - { from: apps.api, to: apps.backend }\n')}gateway:\n  listen: 0\n`);
  const apply = await space.cli(['apply', '--auto-approve']);
  assert.equal(apply.code, 0, apply.stderr);

  const after = await env();
  assert.match(after, /^BACKEND_URL=http:\/\/127\.0\.0\.1:\d+$/m);
  assert.doesNotMatch(after, /^API_URL=/m);
  const status = JSON.parse((await space.cli(['status', '--json'])).stdout) as { services: { gateway: { internal: Record<string, string> } } };
  assert.deepEqual(Object.keys(status.services.gateway.internal), ['backend']);
});
