import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../state/store.js';
import { ProcessRecorder } from './process-recorder.js';

test('records wait while state.json is spoilt (one warning, no throw) and land in order once it is readable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recorder-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = new StateStore(join(dir, '.spaceport'));
  state.update(() => {});
  const good = readFileSync(state.file, 'utf8');
  writeFileSync(state.file, '{ spoilt by hand');
  const warnings: string[] = [];
  const rec = new ProcessRecorder(state, (m) => warnings.push(m), 50);
  rec.add('app:t:web.1', 4242, 7); // flushed at the end of this turn: it used to throw there (uncaught)
  rec.add('app:t:worker.1', 4343, 8);
  await new Promise((r) => setTimeout(r, 120)); // two retries, still spoilt
  assert.doesNotThrow(() => rec.flush());
  rec.remove('app:t:worker.1', 4343);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /cannot record process ids in the state: cannot read .*state\.json.*state\.json\.backup.*Retrying every 0\.05 s/);
  writeFileSync(state.file, good);
  const end = Date.now() + 2000;
  while (warnings.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.equal(warnings[1], 'The state is readable again: process ids recorded');
  assert.deepEqual(state.refresh().processes, { 'app:t:web.1': { pid: 4242, startTicks: 7, name: 'app:t:web.1' } });
});
