import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from './store.js';
import { CURRENT_STATE_VERSION, upgradeState } from './schema.js';

test('a version 1 file upgrades to the current version, keeping everything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-upgrade-'));
  try {
    const v1 = {
      version: 1,
      serial: 7,
      spaceId: 'space-1',
      internalApiKey: 'k',
      ports: { 'internal:a': 4000 },
      processes: {},
      sections: { releases: { a: [{ version: 1 }] } },
      resources: { 'apps.a.formation.web': { id: 'id-1', kind: 'formation', attributes: { count: 2 } } },
    };
    mkdirSync(join(dir, '.spaceport'));
    writeFileSync(join(dir, '.spaceport', 'state.json'), JSON.stringify(v1));
    const store = new StateStore(join(dir, '.spaceport'));
    const s = store.read();
    assert.equal(s.version, CURRENT_STATE_VERSION);
    assert.deepEqual(s.outputs, {});
    assert.equal(s.serial, 7);
    assert.equal(s.spaceId, 'space-1');
    assert.deepEqual(s.resources, v1.resources);
    assert.deepEqual(s.sections, v1.sections);
    // Reading never writes; the next update saves the upgraded shape.
    assert.equal(JSON.parse(readFileSync(store.file, 'utf8')).version, 1);
    store.update(() => {});
    assert.equal(JSON.parse(readFileSync(store.file, 'utf8')).version, CURRENT_STATE_VERSION);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unversioned file (version 0) gets stable ids for its resources', () => {
  const s = upgradeState({ spaceId: 'x', resources: { 'addons.db': { kind: 'addon', attributes: { type: 'postgres' } } } });
  assert.equal(s.version, CURRENT_STATE_VERSION);
  assert.match(s.resources['addons.db']!.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(s.resources['addons.db']!.attributes, { type: 'postgres' });
  assert.deepEqual(s.sections, {});
});

test('a file from a newer spaceport is refused with what to do', () => {
  assert.throws(() => upgradeState({ version: CURRENT_STATE_VERSION + 1 }), /newer than this spaceport understands .* upgrade spaceport/);
});
