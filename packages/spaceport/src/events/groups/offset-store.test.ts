import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OffsetStore } from './offset-store.js';

const quiet = () => {};

test('committed offsets survive a reopen of the preallocated offsets log, a torn last line is skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-offsets-'));
  const file = join(dir, 'offsets.log');
  let store = new OffsetStore(dir);
  store.open(quiet);
  await store.commit('g', [{ topic: 't', partition: 0, offset: 5, metadata: null }]);
  await store.commit('g', [{ topic: 't', partition: 0, offset: 9, metadata: 'm' }, { topic: 't', partition: 1, offset: 2, metadata: null }]);
  const text = readFileSync(file);
  const end = text.indexOf(0);
  assert.ok(end > 0 && statSync(file).size > end, 'zeros ahead of the lines');
  store.close(); // no compaction on close: the next open sees the zero tail, as after SIGKILL

  store = new OffsetStore(dir);
  store.open(quiet);
  assert.deepEqual(store.get('g', 't', 0), { offset: 9, metadata: 'm' });
  assert.deepEqual(store.get('g', 't', 1), { offset: 2, metadata: null });
  await store.commit('g', [{ topic: 't', partition: 1, offset: 3, metadata: null }]);
  store.close();

  // A crash in the middle of an append: half a line, then zeros.
  const data = readFileSync(file);
  const at = data.indexOf(0);
  data.write('{"g":"g","t":"t","p":0,"o":', at);
  writeFileSync(file, data);
  const lines: string[] = [];
  store = new OffsetStore(dir);
  store.open((m) => lines.push(m));
  assert.deepEqual(store.get('g', 't', 0), { offset: 9, metadata: 'm' });
  assert.deepEqual(store.get('g', 't', 1), { offset: 3, metadata: null });
  assert.equal(lines.length, 0, 'only the unacknowledged last line is dropped, silently');
  store.close();
});

test('a commit is answered once written, before its fsync: visible at once and in the file a restarted broker reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-offsets-'));
  const store = new OffsetStore(dir);
  store.open(quiet);
  // commit() returns before the background fdatasync has run (it starts on a later turn of the event loop).
  const synced = store.commit('g', [{ topic: 't', partition: 0, offset: 7, metadata: null }]);
  assert.deepEqual(store.get('g', 't', 0), { offset: 7, metadata: null });
  const text = readFileSync(join(dir, 'offsets.log'), 'utf8');
  assert.match(text, /"o":7/, 'the line is in the file (page cache) when the commit is answered');
  const copy = mkdtempSync(join(tmpdir(), 'spaceport-offsets-'));
  writeFileSync(join(copy, 'offsets.log'), text); // what a broker restarted after a SIGKILL reads
  const other = new OffsetStore(copy);
  other.open(quiet);
  assert.deepEqual(other.get('g', 't', 0), { offset: 7, metadata: null });
  other.close();
  return synced.then(() => store.close());
});
