import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSpace, ps } from './runtime-support.js';

const example = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'hello');
const appFiles = (app: string) => Object.fromEntries(readdirSync(join(example, 'apps', app)).map((f) => [f, readFileSync(join(example, 'apps', app, f), 'utf8')]));

test('examples/hello runs: the release phase, both apps, the greeting from config', async (t) => {
  const space = makeSpace(t, readFileSync(join(example, 'spaceport.yaml'), 'utf8'), { 'apps/greeter': appFiles('greeter'), 'apps/clock': appFiles('clock') });
  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  const dynos = await ps(space);
  assert.deepEqual(dynos.map((d) => `${d.app}/${d.dyno}:${d.state}`), ['clock/web.1:up', 'clock/worker.1:up', 'greeter/web.1:up']);
  const greeter = dynos.find((d) => d.app === 'greeter')!;
  assert.equal(await (await fetch(`http://127.0.0.1:${greeter.port}/`)).text(), 'Hello from greeter web.1\n');
  const logs = (await space.cli(['logs', '-a', 'greeter', '-n', '1000'])).stdout;
  assert.match(logs, /app\[greeter\.release\]: release phase for greeter: GREETING=Hello/);
  assert.equal((await space.cli(['down'])).code, 0);
});
