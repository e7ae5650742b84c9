// examples/wasabi, as its README walks through it: key-auth on the route, the internal key on the dyno.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT, killGroup, runCli, type Dyno } from './edm-support.js';

const WASABI = join(ROOT, 'examples', 'wasabi');
let dir = '';
let gateway = '';

before(async () => {
  const app = join(WASABI, 'apps', 'wasabi-api');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'sp-wasabi-'));
  chmodSync(dir, 0o755);
  const config = parse(readFileSync(join(WASABI, 'spaceport.yaml'), 'utf8')) as { apps: Record<string, { root: string; build?: string }>; gateway: { listen: string } };
  config.apps['wasabi-api']!.root = app;
  delete config.apps['wasabi-api']!.build;
  config.gateway.listen = '127.0.0.1:0';
  writeFileSync(join(dir, 'spaceport.yaml'), stringify(config));
  const up = await runCli(dir, ['up', '-d'], 90_000);
  assert.equal(up.code, 0, up.stderr);
  const status = JSON.parse((await runCli(dir, ['status', '--json'])).stdout) as { services: { gateway: { listen: string } } };
  gateway = status.services.gateway.listen.replace(/\/$/, '');
});

after(async () => {
  if (!dir) return;
  await runCli(dir, ['down'], 30_000).catch(() => undefined);
  try {
    const s = JSON.parse(readFileSync(join(dir, '.spaceport', 'state.json'), 'utf8')) as { processes: Record<string, { pid: number }>; controlPlane?: { pid: number } };
    for (const r of [...Object.values(s.processes), ...(s.controlPlane ? [s.controlPlane] : [])]) killGroup(r.pid);
  } catch {
    // never started
  }
  rmSync(dir, { recursive: true, force: true });
});

test('the gateway wants an API key, the dyno wants the internal key, and together they answer', async () => {
  const none = await fetch(`${gateway}/wasabi`);
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { message: 'No API key found in request' });

  const ok = await fetch(`${gateway}/wasabi`, { headers: { apikey: 'wasabi-demo-key-0001' } });
  assert.equal(ok.status, 200);
  const body = (await ok.json()) as { wasabi: string; consumer: string; served_by: string };
  assert.deepEqual([body.wasabi, body.consumer, body.served_by], ['hot', 'demo', 'web.1']);

  const ps = JSON.parse((await runCli(dir, ['ps', '--json'])).stdout) as Dyno[];
  const direct = await fetch(`http://127.0.0.1:${ps[0]!.port}/`);
  assert.equal(direct.status, 401);
  assert.match(((await direct.json()) as { message: string }).message, /X-Internal-API-Key/);
});
