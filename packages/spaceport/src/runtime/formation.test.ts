import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedApp } from '../config/load.js';
import type { DynoInfo } from './dyno.js';
import { AppFormation, WEB_DRAIN_MS } from './formation.js';
import { ProcessSupervisor } from './supervisor.js';

// A web dyno that appends "<port> <ms since epoch>" to sigterm.log when it gets SIGTERM, then exits.
const WEB = `const s = require('http').createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { require('fs').appendFileSync('sigterm.log', process.env.PORT + ' ' + Date.now() + '\\n'); process.exit(0); });`;

test('a rolling restart: the new instance is up first, ps marks the old one outgoing, and the old one drains before its SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-formation-'));
  writeFileSync(join(dir, 'web.js'), WEB);
  const sup = new ProcessSupervisor({ log: { write: () => undefined }, backoff: { baseMs: 200, maxMs: 1000, resetAfterMs: 60_000 } });
  const app = { name: 'shop', root: dir, processes: { web: 'node web.js' }, scale: { web: 1 }, boot_timeout: 10_000, stop_timeout: 3000 } as unknown as ResolvedApp;
  // Every change the runtime announces (what the gateway and `ps` see), with the time it was announced.
  const seen: { at: number; dynos: DynoInfo[] }[] = [];
  const f: AppFormation = new AppFormation(
    {
      supervisor: sup,
      log: { write: () => undefined },
      dynoEnv: (_a, dyno, port) => ({ PATH: process.env.PATH!, PORT: String(port), DYNO: dyno }),
      changed: () => seen.push({ at: Date.now(), dynos: f.all().map((d) => d.info()) }),
    },
    app,
  );
  t.after(async () => {
    await f.stop(); // stops every instance for good (killing alone would let the supervisor restart them)
    sup.killAllNow();
    rmSync(dir, { recursive: true, force: true });
  });
  const [first] = await f.start({ version: 1, config: {}, processes: { web: 'node web.js' } });
  assert.equal(await first!.settled(), 'up');
  const oldPort = first!.spec.port;

  await f.roll({ version: 2, config: {}, processes: { web: 'node web.js' } });
  const [port, termAt] = readFileSync(join(dir, 'sigterm.log'), 'utf8').trim().split(' ').map(Number);
  assert.equal(port, oldPort, 'only the old instance got SIGTERM');
  const when = (pred: (ds: DynoInfo[]) => boolean) => seen.find((s) => pred(s.dynos))?.at;
  const newUp = when((ds) => ds.some((d) => d.port !== oldPort && d.state === 'up'))!;
  const oldStopping = when((ds) => ds.some((d) => d.port === oldPort && d.state === 'stopping'))!;
  assert.ok(newUp <= oldStopping, 'the replacement is up before the old instance is told to stop');
  assert.ok(termAt! - oldStopping >= WEB_DRAIN_MS - 20, `announced stopping ${termAt! - oldStopping} ms before SIGTERM, want ${WEB_DRAIN_MS}`);

  // While both run, `ps` lists the new instance first and the old one marked outgoing.
  const both = seen.find((s) => s.dynos.length === 2 && s.dynos.every((d) => d.state === 'up'))!.dynos;
  assert.deepEqual(
    both.map((d) => [d.dyno, d.release, d.outgoing ?? false]),
    [['web.1', 'v2', false], ['web.1', 'v1', true]],
  );
  assert.deepEqual(f.all().map((d) => [d.info().dyno, d.info().state, d.info().outgoing ?? false]), [['web.1', 'up', false]]);
});
