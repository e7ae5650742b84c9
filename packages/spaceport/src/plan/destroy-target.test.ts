import { test } from 'node:test';
import assert from 'node:assert/strict';
import { destroySelection, destroyTargetWarnings } from './destroy-target.js';
import type { Change } from './types.js';

const del = (address: string, requires?: string[]): Change => ({ address, action: 'delete', kind: address.split('.')[0]!, id: address, drift: false, ...(requires ? { requires } : {}) });

const plan: Change[] = [
  del('gateway.services.api.routes.r'),
  del('gateway.services.api', ['apps.web']),
  del('gateway.services.ext'),
  del('apps.other.config'),
  del('apps.web.formation.web'),
  del('apps.web.config'),
  del('apps.other', ['addons.db']),
  del('apps.web'),
  del('addons.bus.topics.orders'),
  del('addons.db'),
  del('addons.bus'),
];
const addrs = (cs: Change[]) => cs.map((c) => c.address);

test('destroy --target takes what is under a target and what depends on it, transitively, never what it depends on', () => {
  const web = destroySelection(plan, ['apps.web']);
  assert.deepEqual(addrs(web.chosen), ['gateway.services.api.routes.r', 'gateway.services.api', 'apps.web.formation.web', 'apps.web.config', 'apps.web']);
  assert.deepEqual(web.added.map((a) => `${a.change.address} on ${a.on}`), ['gateway.services.api on apps.web'], 'the route goes with its service, unlisted');
  const db = destroySelection(plan, ['addons.db']);
  assert.deepEqual(addrs(db.chosen), ['apps.other.config', 'apps.other', 'addons.db']);
  assert.deepEqual(addrs(destroySelection(plan, ['gateway.services.api']).chosen), ['gateway.services.api.routes.r', 'gateway.services.api'], 'not the app it points at');
  assert.deepEqual(addrs(destroySelection(plan, ['addons.bus.topics.orders']).chosen), ['addons.bus.topics.orders'], 'a topic is not its add-on');
  const w = destroyTargetWarnings(['apps.web'], web.added).join('\n');
  assert.match(w, /Resource targeting is in effect \(--target apps\.web\)[\s\S]*not for routine use[\s\S]*Destroyed too, because they depend on a destroyed resource .*: gateway\.services\.api \(on apps\.web\)/);
});

test('a destroy target that names nothing is an error with a did-you-mean', () => {
  assert.throws(() => destroySelection(plan, ['apps.wbe']), /--target apps\.wbe: nothing at or under it runs or is recorded in state; did you mean apps\.web\?; nothing was destroyed/);
});
