/** `spaceport addons`: each add-on with its type, plan, state and the apps attaching it under which variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSpace, FIXTURES } from './runtime-support.js';

test('addons lists the file\'s add-ons with their attachments: down before up, up with the URL while running', async (t) => {
  const yaml = `name: ad\naddons:\n  ev: { type: kafka, port: 0 }\napps:\n  a:\n    processes: { web: node web.mjs }\n    addons: [ev, { name: ev, as: EVENTS }]\n  b:\n    processes: { web: node web.mjs }\n`;
  const space = makeSpace(t, yaml, { a: { 'web.mjs': FIXTURES['web.mjs']! }, b: { 'web.mjs': FIXTURES['web.mjs']! } });
  const before = await space.cli(['addons', '--json']);
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual(JSON.parse(before.stdout), [
    { name: 'ev', type: 'kafka', plan: 'embedded', state: 'down', attachments: [{ app: 'a', as: 'KAFKA_URL' }, { app: 'a', as: 'EVENTS_URL' }] },
  ]);
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  const table = await space.cli(['addons']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ADD-ON +TYPE +PLAN +STATE +ATTACHED AS +URL\nev +kafka +embedded +up +a \(KAFKA_URL\), a \(EVENTS_URL\) +kafka:\/\/127\.0\.0\.1:\d+\n$/);
});
