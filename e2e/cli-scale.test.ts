/** scale (ps:scale) as on Heroku: TYPE=N, and TYPE+N / TYPE-N relative to the formation that runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, makeSpace, ps } from './runtime-support.js';

test('ps:scale web+2 and scale web-1 worker+1 change counts from the running formation; below 0 is refused', async (t) => {
  const space = makeSpace(t, `name: sc\napps:\n  s:\n    processes: { web: node web.mjs, worker: node worker.mjs }\n`, {
    s: { 'web.mjs': FIXTURES['web.mjs']!, 'worker.mjs': 'setInterval(() => {}, 1000);' },
  });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const count = async (type: string) => (await ps(space)).filter((d) => d.type === type).length;

  const up2 = await space.cli(['ps:scale', 'web+2']);
  assert.equal(up2.code, 0, up2.stderr);
  assert.equal(up2.stdout, 'Scaling dynos of s... done, now running web at 3\n');
  assert.equal(await count('web'), 3);

  const both = await space.cli(['scale', 'web-1', 'worker+1']);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stdout, 'Scaling dynos of s... done, now running web at 2, worker at 1\n');
  assert.equal(await count('worker'), 1);

  const below = await space.cli(['scale', 'worker-2']);
  assert.equal(below.code, 1);
  assert.match(below.stderr, /^spaceport: worker-2: worker is at 1, and a dyno count is a whole number from 0 to 100$/m);
  assert.equal(await count('worker'), 1, 'nothing changed');
  assert.equal((await space.cli(['scale', 'web+x'])).code, 2);
});
