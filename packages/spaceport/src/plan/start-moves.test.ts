import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceOrThrow } from '../config/load.js';
import { StateStore } from '../state/store.js';
import { renameAddonsAtStart } from './addon-moves.js';

test('a moved add-on takes its data directory, credentials, port and records to its new name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-addon-move-'));
  try {
    writeFileSync(join(dir, 'spaceport.yaml'), 'name: m\naddons:\n  maindb: { type: postgres }\nmoved:\n  - { from: addons.db, to: addons.maindb }\n');
    const stateDir = join(dir, '.spaceport');
    mkdirSync(join(stateDir, 'postgres', 'db'), { recursive: true });
    writeFileSync(join(stateDir, 'postgres', 'db', 'PG_VERSION'), '18');
    const store = new StateStore(stateDir);
    store.update((s) => {
      s.sections.postgres = { db: { user: 'u1', password: 'p', database: 'd1' } };
      s.sections.releases = { db: { current: 1, overrides: {}, releases: [] } }; // an app named db keeps its releases
      s.ports['addons.db'] = 5433;
      s.resources['addons.db'] = { id: 'id-db', kind: 'addon', attributes: { type: 'postgres', external: false } };
    });
    const space = await loadSpaceOrThrow(join(dir, 'spaceport.yaml'));
    assert.deepEqual(renameAddonsAtStart(space, store), ['addons.db -> addons.maindb']);
    assert.equal(readFileSync(join(stateDir, 'postgres', 'maindb', 'PG_VERSION'), 'utf8'), '18');
    assert.equal(existsSync(join(stateDir, 'postgres', 'db')), false);
    const s = new StateStore(stateDir).read();
    assert.deepEqual(s.sections.postgres, { maindb: { user: 'u1', password: 'p', database: 'd1' } });
    assert.deepEqual(s.sections.releases, { db: { current: 1, overrides: {}, releases: [] } });
    assert.deepEqual(s.ports, { 'addons.maindb': 5433 });
    assert.equal(s.resources['addons.maindb']?.id, 'id-db');
    // Done once: the next start finds nothing left to move.
    assert.deepEqual(renameAddonsAtStart(space, store), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
