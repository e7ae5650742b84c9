import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace, ps, until } from './runtime-support.js';

// A hand edit can leave state.json unreadable for a while. The commands refuse it with the way back; the running
// control plane must not die with it (it used to, on the next dyno restart, taking every dyno down).
test('a spoilt state.json does not take the running space down: a dyno still restarts, down still stops', async (t) => {
  const space = makeSpace(t, `name: spoilt\napps:\n  w:\n    processes: { web: node web.mjs }\n`, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const file = join(space.dir, '.spaceport', 'state.json');
  const good = readFileSync(file, 'utf8');
  const [before] = await ps(space);
  writeFileSync(file, '{ "writer": "hand edit", oops');
  process.kill(before!.pid!, 'SIGKILL');
  await until(async () => {
    const [d] = await ps(space);
    return d!.state === 'up' && d!.pid !== before!.pid;
  }, 10_000, 'the killed dyno back up');
  const logs = (await space.cli(['logs', '-d', 'control-plane'])).stdout;
  assert.match(logs, /Error: cannot record process ids in the state: cannot read .*state\.json.*Retrying every 5 s/);
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  assert.match(log, /spaceport\[control-plane\]: Space stopped/);
  assert.doesNotMatch(readFileSync(join(space.dir, '.spaceport', 'logs', 'control-plane.log'), 'utf8'), /uncaught/);
  writeFileSync(file, good); // for the cleanup's records
});
