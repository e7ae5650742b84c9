import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forceReplacements, REQUESTED } from './replace.js';
import type { AnyProvider, Change } from './types.js';

const ch = (address: string, action: Change['action'], kind: string, extra: Partial<Change> = {}): Change => ({ address, action, kind, id: address, drift: false, before: { v: 1 }, after: { v: 1 }, ...extra });
const providers = [
  { kind: 'app', replace: (want: unknown, have: unknown) => ({ action: 'replace', before: have, after: want, requires: ['addons.db'] }) },
  { kind: 'addon', replace: (want: unknown, have: unknown) => ({ action: 'replace', before: have, after: want, destroysData: 'rows go' }) },
  { kind: 'formation' },
] as unknown as AnyProvider[];
const plan = [ch('addons.db', 'noop', 'addon'), ch('apps.web', 'update', 'app', { after: { v: 2 } }), ch('apps.new', 'create', 'app', { before: undefined }), ch('apps.gone', 'delete', 'app', { after: undefined }), ch('apps.web.formation.web', 'noop', 'formation')];

test('--replace turns a noop or an update into a requested replace through the provider', () => {
  const warnings: string[] = [];
  const out = forceReplacements(plan, providers, ['addons.db', 'apps.web', 'apps.new'], warnings);
  assert.deepEqual(out[0], { ...plan[0], action: 'replace', reason: REQUESTED, requested: true, destroysData: 'rows go' });
  assert.deepEqual([out[1]!.action, out[1]!.after, out[1]!.requires], ['replace', { v: 2 }, ['addons.db']], 'an update becomes a replace to the new value');
  assert.equal(out[2]!.action, 'create');
  assert.match(warnings.join(), /apps\.new does not run yet: it is created/);
  assert.equal(plan[0]!.action, 'noop', 'the input is not changed');
});

test('--replace of something not declared, unknown, or of a kind that cannot be replaced is an error', () => {
  assert.throws(() => forceReplacements(plan, providers, ['apps.gone'], []), /--replace apps\.gone: spaceport\.yaml no longer declares it/);
  assert.throws(() => forceReplacements(plan, providers, ['apps.wbe'], []), /no resource apps\.wbe .*did you mean apps\.web\?/);
  assert.throws(() => forceReplacements(plan, providers, ['apps.web.formation.web'], []), /a formation cannot be replaced/);
});
