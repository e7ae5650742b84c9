import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceOrThrow } from '../config/load.js';
import { StateStore } from '../state/store.js';
import { applyMovesAtStart } from './start-moves.js';

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
    assert.deepEqual(applyMovesAtStart(space, store), ['addons.db -> addons.maindb']);
    assert.equal(readFileSync(join(stateDir, 'postgres', 'maindb', 'PG_VERSION'), 'utf8'), '18');
    assert.equal(existsSync(join(stateDir, 'postgres', 'db')), false);
    const s = new StateStore(stateDir).read();
    assert.deepEqual(s.sections.postgres, { maindb: { user: 'u1', password: 'p', database: 'd1' } });
    assert.deepEqual(s.sections.releases, { db: { current: 1, overrides: {}, releases: [] } });
    assert.deepEqual(s.ports, { 'addons.maindb': 5433 });
    assert.equal(s.resources['addons.maindb']?.id, 'id-db');
    // Done once: the next start finds nothing left to move.
    assert.deepEqual(applyMovesAtStart(space, store), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an app moved while the space was down takes its releases, scale, builds and records at the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-app-move-'));
  try {
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'spaceport.yaml'), 'name: m\napps:\n  shop:\n    root: ./web\n    processes: { web: node s.js }\nmoved:\n  - { from: apps.store, to: apps.shop }\n');
    const stateDir = join(dir, '.spaceport');
    mkdirSync(join(stateDir, 'builds', 'store', 'abc'), { recursive: true });
    const store = new StateStore(stateDir);
    const rel = { current: 2, overrides: { K: 'v' }, releases: [] };
    store.update((s) => {
      s.sections.releases = { store: rel };
      s.sections.formation = { store: { web: 3 } };
      s.resources['apps.store'] = { id: 'id-app', kind: 'app', attributes: {} };
      s.resources['apps.store.formation.web'] = { id: 'id-f', kind: 'formation', attributes: { count: 3 } };
    });
    const space = await loadSpaceOrThrow(join(dir, 'spaceport.yaml'));
    assert.deepEqual(applyMovesAtStart(space, store), ['apps.store -> apps.shop']);
    const s = new StateStore(stateDir).read();
    assert.deepEqual(s.sections.releases, { shop: rel });
    assert.deepEqual(s.sections.formation, { shop: { web: 3 } });
    assert.deepEqual(Object.keys(s.resources).sort(), ['apps.shop', 'apps.shop.formation.web']);
    assert.equal(s.resources['apps.shop']?.id, 'id-app');
    assert.ok(existsSync(join(stateDir, 'builds', 'shop', 'abc')));
    assert.deepEqual(applyMovesAtStart(space, store), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a topic moved while the space was down takes its records (directory) to its new name at the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-topic-move-'));
  try {
    const yaml = 'name: m\naddons:\n  events:\n    type: kafka\n    topics:\n      purchases: { partitions: 1 }\nmoved:\n  - { from: addons.events.topics.orders, to: addons.events.topics.purchases }\n';
    writeFileSync(join(dir, 'spaceport.yaml'), yaml);
    const stateDir = join(dir, '.spaceport');
    const topics = join(stateDir, 'events', 'events', 'topics');
    mkdirSync(join(topics, 'orders', '0'), { recursive: true });
    writeFileSync(join(topics, 'orders', 'topic.json'), '{"partitions":1}');
    const store = new StateStore(stateDir);
    const space = await loadSpaceOrThrow(join(dir, 'spaceport.yaml'));
    assert.deepEqual(applyMovesAtStart(space, store), ['addons.events.topics.orders -> addons.events.topics.purchases']);
    assert.equal(readFileSync(join(topics, 'purchases', 'topic.json'), 'utf8'), '{"partitions":1}');
    assert.equal(existsSync(join(topics, 'orders')), false);
    assert.deepEqual(applyMovesAtStart(space, store), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
