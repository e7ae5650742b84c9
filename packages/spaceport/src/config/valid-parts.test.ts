import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { spaceSchema } from './schema.js';
import { validParts } from './valid-parts.js';

const issuesOf = (raw: unknown) => {
  const r = spaceSchema.safeParse(raw);
  assert.equal(r.success, false);
  return r.error!.issues as z.core.$ZodIssue[];
};

test('objects with schema errors are left out whole, by name; unknown keys are only dropped', () => {
  const raw = {
    name: 'demo',
    apps: { web: { processes: { web: 'x' }, boot_timeout: 'soon' }, api: { processes: { web: 'y' }, colour: 'red' } },
    addons: { db: { type: 'mysql' }, events: { type: 'kafka' } },
    gateway: { services: { s: { app: 'api', routes: { bad: { paths: ['nope'] }, good: { paths: ['/a'] } } } } },
  };
  const v = validParts(raw, issuesOf(raw));
  assert.ok(v);
  assert.deepEqual(Object.keys(v.config.apps), ['api']);
  assert.deepEqual(Object.keys(v.config.addons), ['events']);
  assert.deepEqual(Object.keys(v.config.gateway.services.s!.routes), ['good']);
  assert.deepEqual([...v.leftOut.apps], ['web']);
  assert.deepEqual([...v.leftOut.addons], ['db']);
  assert.equal(raw.apps.api.colour, 'red', 'the raw data is not changed');
});

test('an error outside such an object (a top-level field, moved) leaves nothing to check', () => {
  for (const raw of [{ apps: {} }, { name: 'demo', moved: [{ from: 'apps.a' }] }, { name: 'demo', apps: 5 }]) {
    assert.equal(validParts(raw, issuesOf(raw)), undefined, JSON.stringify(raw));
  }
});
