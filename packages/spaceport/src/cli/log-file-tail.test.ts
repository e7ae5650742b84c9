import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileLine, tailLogFile } from './log-file-tail.js';

test('a line of space.log splits back into source, app and dyno', () => {
  const p = (s: string, app?: string) => {
    const l = parseFileLine(`2026-11-21T17:00:00.123Z ${s}: msg`, app);
    return l && [l.source, l.app, l.dyno];
  };
  assert.deepEqual(p('app[clock.worker.1]'), ['app', 'clock', 'worker.1']);
  assert.deepEqual(p('app[edm-ui.build]'), ['app', 'edm-ui', 'build']);
  assert.deepEqual(p('spaceport[addons.db.postgres]'), ['spaceport', 'addons.db', 'postgres']);
  assert.deepEqual(p('spaceport[control-plane]'), ['spaceport', '', 'control-plane']);
  assert.deepEqual(p('router[greeter.router]'), ['router', 'greeter', 'router']);
  assert.deepEqual(p('app[web.1]'), ['app', '', 'web.1']);
  assert.deepEqual(p('app[web.web.2]', 'web'), ['app', 'web', 'web.2']);
  assert.equal(parseFileLine('not a log line'), undefined);
});

test('the newest n lines that match, reaching into space.log.1 when space.log has too few', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-logtail-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'logs'));
  const line = (i: number, tag: string) => `2026-11-21T17:00:0${i}.000Z app[${tag}]: m${i}`;
  writeFileSync(join(dir, 'logs', 'space.log.1'), [line(1, 'a.web.1'), line(2, 'b.web.1'), line(3, 'a.worker.1')].join('\n') + '\n');
  writeFileSync(join(dir, 'logs', 'space.log'), [line(4, 'a.web.2'), line(5, 'b.web.1')].join('\n') + '\n');
  const msgs = (n: number, f = {}) => tailLogFile(dir, n, f).lines.map((l) => l.message);
  assert.deepEqual(msgs(2), ['m4', 'm5']);
  assert.deepEqual(msgs(4), ['m2', 'm3', 'm4', 'm5']);
  assert.deepEqual(msgs(10, { app: 'a' }), ['m1', 'm3', 'm4']);
  assert.deepEqual(msgs(10, { app: 'a', dyno: 'web' }), ['m1', 'm4']);
  assert.deepEqual(msgs(10, { source: 'router' }), []);
  assert.equal(tailLogFile(join(dir, 'none'), 5).file, undefined);
});
