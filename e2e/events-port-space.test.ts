/**
 * The Kafka add-on's port in a space. Left out of the file, it is the default (9092, or a free one when taken),
 * recorded in state and kept: a recorded port another program holds moves the broker to a fresh one, and apps,
 * state and status all say the real port. Written in the file, it is used as is: taken, up fails at once with
 * what to do (no three attempts, no stack trace).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { makeSpace, ps } from './runtime-support.js';

const WEB = `import { createServer } from 'node:http';
createServer((q, r) => r.end(JSON.stringify({ kafka: process.env.KAFKA_URL ?? null }))).listen(Number(process.env.PORT), '127.0.0.1');`;

const yaml = (name: string, port: string) => `name: ${name}
gateway:
  listen: 127.0.0.1:0
  workers: 1
addons:
  ev:
    type: kafka
${port}apps:
  api:
    addons: [ev]
    processes:
      web: node web.mjs
`;

/** A program holding a loopback port, closed after the test. */
async function squat(t: TestContext): Promise<number> {
  const srv: Server = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => srv.close());
  return (srv.address() as { port: number }).port;
}

const recordedPort = (dir: string) => (JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as { ports: Record<string, number> }).ports['addons.ev'];

test('the default Kafka port moves off a taken recorded port, keeps the new one, and apps and status say it', async (t) => {
  const taken = await squat(t);
  const space = makeSpace(t, yaml('kport', ''), { api: { 'web.mjs': WEB } });
  // As if this space had recorded a port that another program took since (the first choice is 9092, which a
  // test must not rely on being free or taken).
  mkdirSync(join(space.dir, '.spaceport'), { recursive: true, mode: 0o700 });
  writeFileSync(join(space.dir, '.spaceport', 'state.json'), JSON.stringify({ version: 2, ports: { 'addons.ev': taken } }), { mode: 0o600 });

  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const port = recordedPort(space.dir)!;
  assert.ok(port && port !== taken, `recorded ${port}, taken ${taken}`);
  const [web] = await ps(space, 'api');
  assert.equal((await space.get<{ kafka: string }>(web!.port)).kafka, `kafka://127.0.0.1:${port}`);
  assert.match(up.stderr, new RegExp(`│  ev +kafka://127\\.0\\.0\\.1:${port} +│`), 'the up box says where the broker is');
  const status = await space.cli(['status']);
  assert.match(status.stdout, new RegExp(`kafka://127\\.0\\.0\\.1:${port}\\b`));
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  assert.match(log, new RegExp(`Kafka broker ready on kafka://127\\.0\\.0\\.1:${port} \\(9092 was taken when this space chose its port; it keeps this one, recorded in state\\)`));
  assert.doesNotMatch(log, /\n\s+at /, 'no stack trace in the log');
  // The records are the apps' data: other users cannot read them (.spaceport/ itself lets them pass, 0711).
  assert.equal(statSync(join(space.dir, '.spaceport', 'events')).mode & 0o777, 0o700);

  // Stable across restarts of the same space.
  assert.equal((await space.cli(['down'])).code, 0);
  const again = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(recordedPort(space.dir), port);
  const [web2] = await ps(space, 'api');
  assert.equal((await space.get<{ kafka: string }>(web2!.port)).kafka, `kafka://127.0.0.1:${port}`);
});

test('a Kafka port written in the file is used as is: taken, up fails at once with what to do', async (t) => {
  const taken = await squat(t);
  const space = makeSpace(t, yaml('kfixed', `    port: ${taken}\n`), { api: { 'web.mjs': WEB } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 1, up.stdout);
  assert.match(up.stderr, new RegExp(`addons\\.ev: port ${taken} is in use by another program: stop it, or set addons\\.ev\\.port \\(0 lets the platform pick\\)`));
  const log = readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  assert.equal(log.match(/is in use by another program/g)?.length, 2, `one line from the broker, one from up:\n${log}`);
  assert.equal(log.match(/Process exited with status 3/g)?.length, 1, `one attempt, not three:\n${log}`);
  assert.doesNotMatch(log, /\n\s+at /, 'no stack trace in the log');
});
