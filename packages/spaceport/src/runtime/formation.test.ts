import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedApp } from '../config/load.js';
import type { DynoInfo } from './dyno.js';
import { AppFormation, ROUTED_CAP_MS, type FormationDeps } from './formation.js';
import { ProcessSupervisor } from './supervisor.js';

// A web dyno that appends "<port> <ms since epoch>" to sigterm.log when it gets SIGTERM, then exits.
const WEB = `const s = require('http').createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { require('fs').appendFileSync('sigterm.log', process.env.PORT + ' ' + Date.now() + '\\n'); process.exit(0); });`;
const RELEASE = { version: 1, config: {}, processes: { web: 'node web.js' } };

/** A formation of one web app in a temp dir; `routed` plays the gateway's acknowledgement. */
function formation(t: TestContext, routed: FormationDeps['routed'], scale = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-formation-'));
  writeFileSync(join(dir, 'web.js'), WEB);
  const sup = new ProcessSupervisor({ log: { write: () => undefined }, backoff: { baseMs: 200, maxMs: 1000, resetAfterMs: 60_000 } });
  const app = { name: 'shop', root: dir, processes: { web: 'node web.js' }, scale: { web: scale }, boot_timeout: 10_000, stop_timeout: 3000 } as unknown as ResolvedApp;
  // Every change the runtime announces (what the gateway and `ps` see), and every platform line, with their times.
  const seen: { at: number; dynos: DynoInfo[] }[] = [];
  const lines: { at: number; dyno: string; message: string }[] = [];
  const f: AppFormation = new AppFormation(
    {
      supervisor: sup,
      log: { write: (l) => void lines.push({ at: Date.now(), dyno: l.dyno, message: l.message }) },
      dynoEnv: (_a, dyno, port) => ({ PATH: process.env.PATH!, PORT: String(port), DYNO: dyno }),
      changed: () => seen.push({ at: Date.now(), dynos: f.all().map((d) => d.info()) }),
      routed,
    },
    app,
  );
  t.after(async () => {
    await f.stop(); // stops every instance for good (killing alone would let the supervisor restart them)
    sup.killAllNow();
    rmSync(dir, { recursive: true, force: true });
  });
  const when = (pred: (ds: DynoInfo[]) => boolean) => seen.find((s) => pred(s.dynos))?.at;
  const sigterms = () => readFileSync(join(dir, 'sigterm.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number) as [number, number]);
  return { f, seen, lines, when, sigterms };
}

test('a rolling restart: the new instance is up first, ps marks the old one outgoing, and the old one gets SIGTERM only once the gateway confirmed', async (t) => {
  // The gateway confirms 1.5 s after the old instance is announced stopping: longer than the 1 s the runtime
  // used to wait blindly, so a fixed wait would SIGTERM it while workers may still route to it.
  let ackAt = 0;
  let stoppingSeen = false;
  const { f, seen, when, sigterms } = formation(t, () => {
    const stopping = seen.at(-1)!.dynos.some((d) => d.state === 'stopping');
    if (!stopping || stoppingSeen) return Promise.resolve();
    stoppingSeen = true;
    return new Promise((r) => setTimeout(() => r(void (ackAt = Date.now())), 1500));
  });
  const [first] = await f.start(RELEASE);
  assert.equal(await first!.settled(), 'up');
  const oldPort = first!.spec.port;

  await f.roll({ ...RELEASE, version: 2 });
  const [[port, termAt]] = sigterms() as [[number, number]];
  assert.equal(port, oldPort, 'only the old instance got SIGTERM');
  const newUp = when((ds) => ds.some((d) => d.port !== oldPort && d.state === 'up'))!;
  const oldStopping = when((ds) => ds.some((d) => d.port === oldPort && d.state === 'stopping'))!;
  assert.ok(newUp <= oldStopping, 'the replacement is up before the old instance is told to stop');
  assert.ok(ackAt > 0, 'the formation asked for the confirmation of the stopping change');
  assert.ok(termAt >= ackAt, `SIGTERM ${ackAt - termAt} ms before the gateway confirmed`);

  // While both run, `ps` lists the new instance first and the old one marked outgoing.
  const both = seen.find((s) => s.dynos.length === 2 && s.dynos.every((d) => d.state === 'up'))!.dynos;
  assert.deepEqual(
    both.map((d) => [d.dyno, d.release, d.outgoing ?? false]),
    [['web.1', 'v2', false], ['web.1', 'v1', true]],
  );
  assert.deepEqual(f.all().map((d) => [d.info().dyno, d.info().state, d.info().outgoing ?? false]), [['web.1', 'up', false]]);
});

test('scaling web down with no gateway running: the dyno gets SIGTERM at once, without a fixed drain', async (t) => {
  const { f, lines } = formation(t, () => Promise.resolve(), 2);
  const dynos = await f.start(RELEASE);
  for (const d of dynos) assert.equal(await d.settled(), 'up');
  await f.setScale({ web: 1 });
  const at = (re: RegExp) => lines.find((l) => l.dyno === 'web.2' && re.test(l.message))?.at;
  const stopping = at(/State changed from up to stopping/)!;
  const term = at(/Stopping all processes with SIGTERM/)!;
  assert.ok(term - stopping < 300, `SIGTERM ${term - stopping} ms after stopping`);
});

test('a gateway that never confirms delays the SIGTERM by the cap only, and the log says so', async (t) => {
  const { f, lines } = formation(t, () => new Promise(() => undefined), 2);
  const dynos = await f.start(RELEASE);
  for (const d of dynos) assert.equal(await d.settled(), 'up');
  await f.setScale({ web: 1 });
  const line = (re: RegExp) => lines.find((l) => l.dyno === 'web.2' && re.test(l.message));
  const stopping = line(/State changed from up to stopping/)!.at;
  const term = line(/Stopping all processes with SIGTERM/)!.at;
  assert.ok(term - stopping >= ROUTED_CAP_MS - 20 && term - stopping < ROUTED_CAP_MS + 1000, `SIGTERM ${term - stopping} ms after stopping`);
  assert.ok(line(/The gateway did not confirm within 5 s/), lines.map((l) => l.message).join('\n'));
});
