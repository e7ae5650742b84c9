/**
 * Rollback runs the release phase, as Heroku does: from the kept build of the release rolled back to (the old
 * code's release command), and a release phase that fails fails the rollback, keeping the current release.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, ps } from './runtime-support.js';
import { WEB } from './lifecycle-support.js';

// Logs the code version it runs from; fails while a FAIL_RELEASE file exists in the space's dir.
const RELEASE = `import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const v = readFileSync('version.txt', 'utf8').trim();
appendFileSync(process.env.MARKS + '/release.log', v + '\\n');
if (existsSync(process.env.MARKS + '/FAIL_RELEASE')) { console.error('release phase fails on purpose'); process.exit(3); }`;

const YAML = `name: rb
apps:
  web:
    processes: { web: node web.mjs, release: node release.mjs }
    env: { MARKS: __DIR__ }
gateway:
  listen: 127.0.0.1:0
  workers: 1
`;

test('rollback runs the release phase from the old build; a failing one keeps the current release', async (t) => {
  const space = makeSpace(t, YAML, { web: { 'web.mjs': WEB, 'release.mjs': RELEASE, 'version.txt': 'v1' } });
  writeFileSync(join(space.dir, 'spaceport.yaml'), YAML.replace('__DIR__', space.dir));
  const log = () => readFileSync(join(space.dir, 'release.log'), 'utf8').trim().split('\n');
  const served = async () => {
    const d = (await ps(space, 'web')).find((x) => x.dyno === 'web.1' && x.state === 'up');
    assert.ok(d, 'web.1 is up');
    return (await space.get<{ version: string }>(d.port)).version;
  };
  const releases = async () => JSON.parse((await space.cli(['releases', '-a', 'web', '--json'])).stdout) as { version: string; description: string; status: string; current: boolean }[];

  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  writeFileSync(join(space.dir, 'web', 'version.txt'), 'v2');
  const applied = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.deepEqual(log(), ['v1', 'v2']);

  // The rollback's release phase is the old code's, run from its kept build.
  const rb = await space.cli(['rollback', '-a', 'web']);
  assert.equal(rb.code, 0, rb.stdout + rb.stderr);
  assert.deepEqual(log(), ['v1', 'v2', 'v1']);
  assert.equal(await served(), 'v1');

  // Back to v2, then a rollback whose release phase fails: refused, v2 keeps running.
  assert.equal((await space.cli(['rollback', 'v2', '-a', 'web'])).code, 0);
  assert.equal(await served(), 'v2');
  const before = await releases();
  writeFileSync(join(space.dir, 'FAIL_RELEASE'), '');
  const failed = await space.cli(['rollback', 'v1', '-a', 'web']);
  assert.equal(failed.code, 1, failed.stdout);
  assert.match(failed.stderr, /release v5 of web \(Rollback to v1\) failed: its release phase \(`node release\.mjs`\) exited with status 3, so v4 keeps running/);
  assert.deepEqual(log(), ['v1', 'v2', 'v1', 'v2', 'v1']);
  const after = await releases();
  assert.deepEqual(after[0], { ...after[0]!, version: 'v5', description: 'Rollback to v1', status: 'failed', current: false });
  assert.equal(after.find((r) => r.current)!.version, before.find((r) => r.current)!.version);
  assert.equal(await served(), 'v2', 'the current release keeps running');
});
