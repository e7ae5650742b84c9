import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { postgresServices } from './service.js';
import { freePort, testContext, testSpace } from './test-context.js';

const space = (url: string) => `
name: ext
apps:
  web:
    processes: { web: "node server.js" }
    addons: [db]
addons:
  db: { type: postgres, url: "${url}" }
`;

test('an external database that does not answer: a clear error naming the host, password masked', async (t) => {
  const port = await freePort(); // nothing listens there
  const s = await testSpace(space(`postgres://alice:s3cret-pw@127.0.0.1:${port}/shop`));
  t.after(() => rmSync(s.dir, { recursive: true, force: true }));
  const { ctx } = testContext(s);
  const [svc] = postgresServices(ctx);
  const err = await svc!.start().then(
    () => assert.fail('start should fail'),
    (e: Error) => e,
  );
  assert.match(err.message, new RegExp(`addons\\.db: the external database at 127\\.0\\.0\\.1:${port} does not answer`));
  assert.match(err.message, /ECONNREFUSED/);
  assert.match(err.message, /postgres:\/\/alice:\*\*\*\*\*@127\.0\.0\.1/);
  assert.ok(!err.message.includes('s3cret-pw'));
  await assert.rejects(() => svc!.readyFor!(s.config.apps.web!), /not reachable/);
});

test('an external url that is not a postgres URL is refused before connecting', async (t) => {
  const s = await testSpace(space('mysql://bob:pw@db.example:3306/x'));
  t.after(() => rmSync(s.dir, { recursive: true, force: true }));
  const [svc] = postgresServices(testContext(s).ctx);
  await assert.rejects(() => svc!.start(), /url must look like postgres:\/\/user:password@host:5432\/database \(got mysql:\/\/bob:\*\*\*\*\*@db\.example:3306\/x\)/);
});
