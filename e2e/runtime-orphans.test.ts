import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, alive, groupMembers, makeSpace, ps, until } from './runtime-support.js';

const YAML = `name: orphans
apps:
  w:
    processes: { web: node web.mjs, worker: sh -c "sleep 300 & sleep 300" }
    scale: { web: 2, worker: 1 }
`;

test('after SIGKILL of the control plane, down reaps what it left; so does the next up', async (t) => {
  const space = makeSpace(t, YAML, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  { const u = await space.cli(['up', '-d']); assert.equal(u.code, 0, u.stderr); }
  const first = (await ps(space)).map((d) => d.pid!);
  assert.equal(first.length, 3);
  process.kill(space.state().controlPlane!.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(first.every(alive), 'dynos survive a SIGKILLed control plane (they are in their own groups)');

  // the next up reaps them before it starts anything
  { const u = await space.cli(['up', '-d']); assert.equal(u.code, 0, u.stderr); }
  for (const pid of first) await until(() => !alive(pid), 2000, `old dyno ${pid} reaped`);
  const second = (await ps(space)).map((d) => d.pid!);
  assert.equal(second.length, 3);
  const logs = (await space.cli(['logs', '-s', 'spaceport', '-n', '1000'])).stdout;
  assert.match(logs, /Reaped \d+ process\(es\) left by a control plane that did not stop: .*app:w:web\.1.*app:w:web\.2.*app:w:worker\.1/);

  // down after another SIGKILL: nothing answers, so down reaps the recorded groups (with their children)
  const groupChildren = second.flatMap(groupMembers); // the worker's `sleep` children share its process group
  assert.ok(groupChildren.length >= 5, `leaders and the worker's children: ${groupChildren.join(',')}`);
  process.kill(space.state().controlPlane!.pid, 'SIGKILL');
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /killed \d+ process group\(s\) it left behind: .*app:w:web\.1.*app:w:web\.2.*app:w:worker\.1/);
  for (const pid of groupChildren) await until(() => !alive(pid), 2000, `dyno ${pid} reaped by down`);
  assert.deepEqual(space.state().processes, {});
  const again = await space.cli(['down']);
  assert.equal(again.code, 0, 'stopped already is what down asks for');
  assert.match(again.stderr, /not running: nothing to stop/);
});

test('two `up -d` at once: one control plane runs the space, the other says it is already running', async (t) => {
  const space = makeSpace(t, `name: twice\napps:\n  w:\n    processes: { web: node web.mjs }\n`, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  const [a, b] = await Promise.all([space.cli(['up', '-d']), space.cli(['up', '-d'])]);
  assert.deepEqual([a.code, b.code].sort(), [0, 1], a.stderr + b.stderr);
  assert.match((a.code ? a : b).stderr, /already running/);
  const dynos = await ps(space);
  assert.deepEqual(dynos.map((d) => [d.dyno, d.state]), [['web.1', 'up']]);
  assert.equal((await space.cli(['down'])).code, 0);
  assert.equal(alive(dynos[0]!.pid!), false);
});
