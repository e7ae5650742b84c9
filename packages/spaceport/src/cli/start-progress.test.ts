import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadSpaceOrThrow } from '../config/load.js';
import { StartProgress } from './start-progress.js';
import type { LogLine } from '../runtime/log-line.js';

const line = (app: string, dyno: string, message: string, source: LogLine['source'] = 'spaceport'): LogLine => ({ time: '2026-11-21T17:00:00.000Z', source, app, dyno, message });

test('the progress line counts builds and dynos up from the log stream, and names the latest platform event', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-progress-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'spaceport.yaml'), 'name: p\napps:\n  a:\n    root: .\n    build: make\n    processes: { web: x, worker: y, release: z }\n    scale: { web: 2, worker: 1 }\n  b:\n    root: .\n    processes: { web: x }\n');
  const space = await loadSpaceOrThrow(join(dir, 'spaceport.yaml'));
  const out = new PassThrough() as unknown as NodeJS.WriteStream;
  const written: string[] = [];
  (out as unknown as PassThrough).on('data', (c: Buffer) => written.push(c.toString()));
  const p = new StartProgress(space, out);
  assert.match(p.describe(), /^p \d+s · builds 0\/1 · dynos 0\/4 up · starting the control plane$/);
  p.observe(line('a', 'build', 'Build succeeded'));
  p.observe(line('a', 'web.1', 'State changed from starting to up'));
  p.observe(line('a', 'web.1', 'State changed from starting to up')); // counted once
  p.observe(line('b', 'web.1', 'State changed from starting to up'));
  p.observe(line('b', 'web.1', 'listening', 'app')); // app output is not a platform event
  assert.match(p.describe(), /builds 1\/1 · dynos 2\/4 up · b web\.1: State changed from starting to up$/);
  p.observe(line('b', 'web.1', 'State changed from up to crashed'));
  assert.match(p.describe(), /dynos 1\/4 up/);

  p.start();
  p.print('a log line', line('a', 'web.2', 'State changed from starting to up'));
  p.stop();
  const text = written.join('');
  assert.ok(text.includes('a log line\n'), 'log lines are written whole');
  assert.ok(text.endsWith('\r\x1b[2K'), 'stop clears the progress line');
});
