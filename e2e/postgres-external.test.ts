import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { NOTES_APP, makePgSpace } from './postgres-support.js';

test('up with an external database that does not answer fails clearly, naming the host, password masked', async (t) => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  srv.close(); // nothing listens there now
  const space = makePgSpace(
    `name: pgext
apps:
  notes:
    root: ./notes
    processes: { web: node web.mjs }
    addons: [db]
addons:
  db: { type: postgres, url: "postgres://shop:hunter2-secret@127.0.0.1:${port}/shop" }
`,
    { 'notes/web.mjs': NOTES_APP },
  );
  t.after(() => space.cleanup());
  const up = await space.cli(['up', '-d'], 60_000);
  assert.equal(up.code, 1);
  assert.match(up.stderr, new RegExp(`addons\\.db: the external database at 127\\.0\\.0\\.1:${port} does not answer`));
  assert.match(up.stderr, /postgres:\/\/shop:\*\*\*\*\*@127\.0\.0\.1/);
  assert.ok(!up.stderr.includes('hunter2-secret'), 'the password is not shown');
});
