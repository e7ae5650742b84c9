import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from './store.js';

test('each write keeps the version it replaces as state.json.backup (0600), and a spoilt file says how to put it back', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new StateStore(dir);
  const first = store.update((s) => void (s.internalApiKey = 'one'));
  assert.throws(() => statSync(store.backupFile), /ENOENT/, 'the first write has nothing to keep');
  store.update((s) => void (s.internalApiKey = 'two'));
  const backup = JSON.parse(readFileSync(store.backupFile, 'utf8')) as { internalApiKey: string; spaceId: string };
  assert.equal(backup.internalApiKey, 'one');
  assert.equal(backup.spaceId, first.spaceId);
  assert.equal(statSync(store.backupFile).mode & 0o777, 0o600);
  assert.equal((JSON.parse(readFileSync(store.file, 'utf8')) as { internalApiKey: string }).internalApiKey, 'two');

  // A hand edit that breaks the JSON: the error names the backup and the command, and never says to remove it.
  writeFileSync(store.file, '{ "internalApiKey": "two", oops');
  let message = '';
  assert.throws(() => new StateStore(dir).read(), (err: Error) => ((message = err.message), true));
  assert.match(message, /cannot read .*state\.json: .*JSON/);
  assert.ok(message.includes(`cp ${store.backupFile} ${store.file}`), message);
  assert.match(message, /do not delete it/);
  assert.doesNotMatch(message, /remove the file/);
  copyFileSync(store.backupFile, store.file);
  const restored = new StateStore(dir).read();
  assert.equal(restored.internalApiKey, 'one');
  assert.equal(restored.spaceId, first.spaceId);

  // state.json deleted by hand: refused with the way back, and no write replaces the backup (the only copy left).
  rmSync(store.file);
  const kept = readFileSync(store.backupFile, 'utf8');
  const fresh = new StateStore(dir);
  assert.throws(() => fresh.read(), /state\.json is missing, but .*state\.json\.backup is here: put it back with `cp .*state\.json\.backup .*state\.json`/);
  assert.throws(() => fresh.update((s) => void (s.internalApiKey = 'new')), /is missing/);
  assert.equal(readFileSync(store.backupFile, 'utf8'), kept);
  assert.throws(() => statSync(store.file), /ENOENT/);
});
