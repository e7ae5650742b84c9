import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogHub } from './log-hub.js';
import type { LogLine } from '../log-line.js';

test('the ring keeps the newest lines and filters by app, dyno type and source', () => {
  const hub = new LogHub({ maxLines: 5 });
  for (let i = 0; i < 12; i++) hub.write({ source: 'app', app: i % 2 ? 'a' : 'b', dyno: `web.${1 + (i % 3)}`, message: `m${i}` });
  assert.equal(hub.ring.length, 5);
  assert.deepEqual(hub.tail(100).map((l) => l.message), ['m7', 'm8', 'm9', 'm10', 'm11']);
  assert.deepEqual(hub.tail(2, { app: 'a' }).map((l) => l.message), ['m9', 'm11']);
  assert.deepEqual(hub.tail(100, { dyno: 'web' }).length, 5);
  assert.deepEqual(hub.tail(100, { source: 'router' }), []);
});

test('a follower that lags loses lines, counted, and gets one L10 line when it catches up', () => {
  const hub = new LogHub();
  const got: LogLine[] = [];
  let open = true;
  hub.follow({}, { deliver: (l) => (open ? (got.push(l), true) : false) });
  hub.write({ source: 'app', app: 'a', dyno: 'web.1', message: 'one' });
  open = false;
  for (let i = 0; i < 7; i++) hub.write({ source: 'app', app: 'a', dyno: 'web.1', message: `lost${i}` });
  open = true;
  hub.write({ source: 'app', app: 'a', dyno: 'web.1', message: 'two' });
  assert.deepEqual(got.map((l) => l.message.replace(/ since .*/, '')), ['one', 'Error L10 (output buffer overflow) -> 7 messages dropped', 'two']);
  assert.equal(hub.dropped, 7);
});

test('the file is size-capped: it rotates once past the cap', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hub = new LogHub({ file: join(dir, 'space.log'), fileMaxBytes: 10_000 });
  for (let i = 0; i < 100; i++) {
    hub.write({ source: 'app', app: 'a', dyno: 'web.1', message: 'x'.repeat(200) });
    await new Promise((r) => setImmediate(r));
  }
  await hub.close();
  assert.ok(statSync(join(dir, 'space.log')).size <= 10_000 + 300);
  assert.ok(statSync(join(dir, 'space.log.1')).size > 0);
  assert.match(readFileSync(join(dir, 'space.log'), 'utf8'), /^\d{4}-\d\d-\d\dT[\d:.]+Z app\[a\.web\.1\]: x+$/m);
});
