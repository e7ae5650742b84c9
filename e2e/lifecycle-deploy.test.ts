/**
 * Code changes through apply, end to end: a changed app is rebuilt and rolled with no failed request
 * (autocannon through the gateway during the apply); rollback runs the earlier build again without
 * rebuilding; a build that fails leaves the rest of the apply applied and recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace } from './runtime-support.js';
import { getByHost, gatewayOf, planJson, WEB } from './lifecycle-support.js';

interface CannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface CannonInstance {
  stop(): void;
}
type Cannon = (opts: Record<string, unknown>, cb: (err: Error | null, r: CannonResult) => void) => CannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

// Counts builds in a file outside the app roots (so counting does not change the source hash).
const BUILD = `import { appendFileSync, existsSync } from 'node:fs';
appendFileSync('../builds.log', process.env.APP_NAME + '\\n');
if (existsSync('FAIL')) { console.error('build broken on purpose'); process.exit(2); }`;

const YAML = `name: deploy
apps:
  web:
    processes: { web: node web.mjs }
    build: node build.mjs
  other:
    processes: { web: node web.mjs }
    build: node build.mjs
gateway:
  listen: 127.0.0.1:0
  workers: 1
outputs:
  web: \${apps.web.url}
  admin: { value: "\${gateway.admin_url}", sensitive: true }
`;

const version = async (port: number, app: string) => (JSON.parse((await getByHost(port, `${app}.localhost`)).body) as { version: string }).version;
const builds = (dir: string) => readFileSync(join(dir, 'builds.log'), 'utf8').trim().split('\n').length;

test('apply rolls changed code with zero failed requests; rollback needs no rebuild; a failed build leaves the rest applied', async (t) => {
  const files = { 'web.mjs': WEB, 'build.mjs': BUILD, 'version.txt': 'v1' };
  const space = makeSpace(t, YAML, { web: { ...files }, other: { ...files } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const gw = await gatewayOf(space);
  assert.equal(await version(gw.listen, 'web'), 'v1');
  assert.equal(builds(space.dir), 2);

  // New code under load: every request answered, before, during and after the rolling restart.
  writeFileSync(join(space.dir, 'web', 'version.txt'), 'v2');
  const plan = await planJson(space);
  assert.deepEqual(plan.plan.changes.map((c) => [c.address, c.action, c.drift]), [['apps.web', 'update', false]]);
  let cannon!: CannonInstance;
  const load = new Promise<CannonResult>((resolve, reject) => {
    cannon = autocannon({ url: `http://127.0.0.1:${gw.listen}/`, headers: { host: 'web.localhost' }, connections: 8, duration: 60 }, (err, r) => (err ? reject(err) : resolve(r)));
  });
  await new Promise((r) => setTimeout(r, 500));
  const applied = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 500));
  cannon.stop();
  const result = await load;
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /apps\.web: Modifications complete after/);
  t.diagnostic(`autocannon during apply: ${result.requests.total} requests, ${result.errors} errors, ${result.non2xx} non-2xx`);
  assert.ok(result.requests.total > 100, `only ${result.requests.total} requests`);
  if (result.errors + result.timeouts + result.non2xx > 0) {
    const router = await space.cli(['logs', '-s', 'router', '-n', '10000']);
    t.diagnostic(`router errors:\n${router.stdout.split('\n').filter((l) => l.includes('at=error') || / status=[45]\d\d /.test(l)).join('\n')}`);
  }
  assert.deepEqual({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }, { errors: 0, timeouts: 0, non2xx: 0 });
  assert.equal(await version(gw.listen, 'web'), 'v2');
  assert.equal(builds(space.dir), 3);
  // Outputs are resolved by apply and kept in state.
  assert.equal((await space.cli(['output', 'web'])).stdout, `http://web.localhost:${gw.listen}\n`);
  assert.equal((await space.cli(['output'])).stdout, `web = "http://web.localhost:${gw.listen}"\nadmin = (sensitive)\n`);
  assert.deepEqual(JSON.parse((await space.cli(['output', '--json'])).stdout).admin, { value: gw.admin, sensitive: true });

  // Rollback: the previous build runs again, as a new release, without a build.
  const rb = await space.cli(['rollback', '-a', 'web']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.match(rb.stdout, /Rolled back web: v\d+ \(Rollback to v\d+\)/);
  assert.equal(await version(gw.listen, 'web'), 'v1');
  assert.equal(builds(space.dir), 3);
  const rels = JSON.parse((await space.cli(['releases', '-a', 'web', '--json'])).stdout) as { description: string; build: string; current: boolean }[];
  assert.match(rels[0]!.description, /^Rollback to v\d+$/);
  assert.equal(rels[0]!.current, true);
  assert.match(rels[0]!.build, /^[0-9a-f]{16}$/);
  // Rolled back code differs from the file: drift that apply would undo.
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => [c.address, c.drift]), [['apps.web', true]]);

  // Partial failure: other's build fails; web's new code is applied and recorded anyway.
  writeFileSync(join(space.dir, 'web', 'version.txt'), 'v3');
  writeFileSync(join(space.dir, 'other', 'version.txt'), 'v2');
  writeFileSync(join(space.dir, 'other', 'FAIL'), '');
  const partial = await space.cli(['apply', '--auto-approve'], { timeoutMs: 60_000 });
  assert.equal(partial.code, 1, partial.stdout);
  assert.match(partial.stdout, /apps\.other: failed: build of other failed/);
  assert.match(partial.stdout, /Apply incomplete: Resources: 0 added, 1 changed, 0 destroyed, 0 moved\. 1 failed, 0 skipped\./);
  assert.equal(await version(gw.listen, 'web'), 'v3');
  assert.equal(await version(gw.listen, 'other'), 'v1');
  assert.deepEqual((await planJson(space)).plan.changes.map((c) => c.address), ['apps.other']);
});
