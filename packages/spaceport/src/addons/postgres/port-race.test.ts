/**
 * The embedded server's port is checked free, then bound seconds later (initdb runs in between): another program
 * can take it in that window. Then the server moves to a fresh port, records it, and `up` goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import type { EmbeddedPostgres } from './embedded.js';
import { postgresServices } from './service.js';
import { testContext, testSpace } from './test-context.js';

test('a port taken between the check and the bind: the server moves to a fresh port, recorded and kept', async () => {
  const space = await testSpace('name: race\napps:\n  web:\n    processes: { web: "node server.js" }\n    addons: [db]\naddons:\n  db: { type: postgres }\n');
  const t = testContext(space);
  const [svc] = postgresServices(t.ctx) as EmbeddedPostgres[];
  let squatter: Server | undefined;
  try {
    const started = svc!.start();
    started.catch(() => {});
    // initdb runs after the port check and before the bind: take the checked port then.
    const deadline = Date.now() + 30_000;
    while (!t.lines.some((l) => l.includes('Initializing a PostgreSQL'))) {
      assert.ok(Date.now() < deadline, `initdb did not start:\n${t.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const checked = t.ctx.state.read().ports['addons.db']!;
    squatter = createServer();
    await new Promise<void>((resolve, reject) => {
      squatter!.once('error', reject);
      squatter!.listen(checked, '127.0.0.1', () => resolve());
    });
    assert.ok(!t.lines.some((l) => l.includes('ready on')), 'the port was taken before the server bound it');

    await started;
    const moved = t.ctx.state.read().ports['addons.db']!;
    assert.ok(moved && moved !== checked, `recorded ${moved}, taken ${checked}`);
    const url = svc!.envFor(space.config.apps.web!).DATABASE_URL!;
    assert.equal(new URL(url).port, String(moved), 'apps get the new port');
    assert.equal(svc!.status().port, moved);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    assert.deepEqual((await c.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
    await c.end();
    assert.ok(
      t.lines.some((l) => l.includes(`port ${checked} was taken by another program while the server started: the server moves to port ${moved} (recorded in state and kept)`)),
      t.lines.join('\n'),
    );
  } finally {
    squatter?.close();
    await svc?.stop();
    t.sup.killAllNow();
    rmSync(space.dir, { recursive: true, force: true });
  }
});
