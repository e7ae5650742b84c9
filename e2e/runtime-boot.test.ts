import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, alive, makeSpace, ps, runCli, until } from './runtime-support.js';

const YAML = `name: boot
apps:
  api:
    env: { GREETING: hello }
    processes:
      web: node web.mjs
      release: node release.mjs
      worker: node nobind.mjs
    scale: { web: 1, worker: 1 }
`;
const files = { 'web.mjs': FIXTURES['web.mjs']!, 'release.mjs': FIXTURES['release.mjs']!, 'nobind.mjs': FIXTURES['nobind.mjs']! };

test('up -d boots dynos with PORT and the env; ps, scale, restart, config, releases, run, logs; down leaves nothing', async (t) => {
  const space = makeSpace(t, YAML, { api: files });
  const none = await space.cli(['ps']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /is not running; start it with `spaceport up -d`/);

  const up = await space.cli(['up', '-d']);
  assert.equal(up.code, 0, up.stderr);
  // commands find the space by walking up from the cwd, or by -f
  const fromSub = await runCli(join(space.dir, 'api'), ['ps', '--json']);
  assert.equal(fromSub.code, 0, fromSub.stderr);
  assert.equal(JSON.parse(fromSub.stdout).length, 2);
  const withF = await runCli(tmpdir(), ['ps', '--json', '-f', join(space.dir, 'spaceport.yaml')]);
  assert.equal(withF.code, 0, withF.stderr);
  let dynos = await ps(space);
  assert.deepEqual(dynos.map((d) => [d.dyno, d.state, d.release]), [['web.1', 'up', 'v1'], ['worker.1', 'up', 'v1']]);
  assert.deepEqual(Object.keys(dynos[0]!).sort(), ['app', 'dyno', 'pid', 'port', 'release', 'restarts', 'since', 'state', 'type']);
  const web = dynos[0]!;
  const body = await space.get<Record<string, unknown>>(web.port);
  assert.deepEqual({ ...body, pid: undefined }, { port: String(web.port), dyno: 'web.1', app: 'api', greeting: 'hello', key: 64, pid: undefined });
  assert.equal(body.pid, web.pid, 'the dyno is the app process itself (exec), in its own group');

  // scale up, then down: the extra dynos' processes are gone
  assert.equal((await space.cli(['scale', 'web=3', '-a', 'api'])).code, 0);
  await until(async () => (await ps(space, 'api')).filter((d) => d.type === 'web' && d.state === 'up').length === 3, 10_000, 'web=3');
  dynos = await ps(space, 'api');
  const extra = dynos.filter((d) => d.dyno === 'web.2' || d.dyno === 'web.3').map((d) => d.pid!);
  const ports = new Set(dynos.map((d) => d.port));
  assert.equal(ports.size, 4, 'every dyno has its own PORT');
  assert.equal((await space.cli(['scale', 'web=1', '-a', 'api'])).code, 0);
  assert.deepEqual((await ps(space, 'api')).map((d) => d.dyno), ['web.1', 'worker.1']);
  for (const pid of extra) assert.equal(alive(pid), false, `pid ${pid} of a scaled-down dyno is gone`);
  const bad = await space.cli(['scale', 'wbe=2', '-a', 'api']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /api has no process type wbe \(did you mean web\? types: web, worker\)/);
  const badApp = await space.cli(['ps', '-a', 'apii']);
  assert.equal(badApp.code, 1);
  assert.match(badApp.stderr, /no app named apii in this space; did you mean api\?/);

  // config:set creates v2, rolls the dynos; the new env is served
  const set = await space.cli(['config:set', 'GREETING=bonjour', '-a', 'api']);
  assert.equal(set.code, 0, set.stderr);
  dynos = await ps(space, 'api');
  assert.ok(dynos.every((d) => d.release === 'v2' && d.state === 'up'), JSON.stringify(dynos));
  assert.equal((await space.get<{ greeting: string }>(dynos[0]!.port)).greeting, 'bonjour');
  assert.equal(alive(web.pid!), false, 'the v1 web dyno stopped');
  const cfg = JSON.parse((await space.cli(['config', '--json', '-a', 'api'])).stdout);
  assert.deepEqual(cfg, { GREETING: 'bonjour' });
  const rels = JSON.parse((await space.cli(['releases', '--json', '-a', 'api'])).stdout) as { version: string; status: string; current: boolean; description: string }[];
  assert.deepEqual(rels.map((r) => [r.version, r.status, r.current, r.description]), [
    ['v2', 'succeeded', true, 'Set GREETING config vars'],
    ['v1', 'succeeded', false, 'Initial release'],
  ]);

  // rolling restart: the replacement web.1 is up before the old one is told to stop
  const before = (await ps(space, 'api')).find((d) => d.dyno === 'web.1')!;
  assert.equal((await space.cli(['restart', 'web', '-a', 'api'])).code, 0);
  const after = (await ps(space, 'api')).find((d) => d.dyno === 'web.1')!;
  assert.notEqual(after.pid, before.pid);
  const log = (await space.cli(['logs', '-n', '1000', '-a', 'api', '-d', 'web.1'])).stdout.split('\n');
  const lastIndex = (text: string) => log.map((l, i) => (l.includes(text) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  const upIdx = lastIndex('State changed from starting to up');
  const stopIdx = lastIndex('Stopping all processes with SIGTERM');
  assert.ok(upIdx !== -1 && stopIdx > upIdx, 'the new instance was up before the old one got SIGTERM');

  // run: one-off dyno with the app's env, stdin attached, exit code passed through
  const run = await space.cli(['run', '-a', 'api', '--', 'sh', '-c', 'read x; echo "$x $GREETING $DYNO"; exit 7'], { input: 'hi\n' });
  assert.equal(run.code, 7, run.stderr);
  assert.equal(run.stdout.trim(), 'hi bonjour run.1');
  assert.equal((await space.cli(['run', '-a', 'api', 'true'])).code, 0);

  // logs: Heroku's format, filters, JSON
  const logs = await space.cli(['logs', '-n', '1000']);
  assert.match(logs.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z app\[api\.release\]: release phase$/m);
  assert.match(logs.stdout, /spaceport\[api\.web\.1\]: Starting process with command `node web\.mjs`/);
  assert.match(logs.stdout, /spaceport\[api\.run\.1\]: Process exited with status 7/);
  const json = (await space.cli(['logs', '--json', '-n', '5', '-s', 'app'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(json.length > 0 && json.every((l: { source: string }) => l.source === 'app'));

  const status = await space.cli(['status']);
  assert.match(status.stdout, /=== boot \(running/);
  assert.match(status.stdout, /app api: v2, web 1\/1 up, worker 1\/1 up/);

  // down: every recorded process and the control plane are gone
  const pids = (await ps(space)).map((d) => d.pid!);
  const cp = space.state().controlPlane!.pid;
  const down = await space.cli(['down']);
  assert.equal(down.code, 0, down.stderr);
  for (const pid of [...pids, cp]) assert.equal(alive(pid), false, `pid ${pid} outlived down`);
  assert.deepEqual(space.state().processes, {});
  assert.equal((await space.cli(['ps'])).code, 1);
});
