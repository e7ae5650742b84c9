import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetChanges, targetingWarning, targetSelection } from './target.js';
import type { Change } from './types.js';

const ch = (address: string, action: Change['action'], extra: Partial<Change> = {}): Change => ({ address, action, kind: address.split('.')[0]!, id: address, drift: false, ...extra });

const plan: Change[] = [
  ch('apps.old', 'move', { address: 'apps.new', from: 'apps.old' }),
  ch('addons.db', 'create'),
  ch('addons.cache', 'update'),
  ch('apps.api', 'create', { requires: ['addons.db'] }),
  ch('apps.api.config', 'create'),
  ch('apps.api.formation.web', 'create'),
  ch('apps.new.config', 'update'),
  ch('apps.web', 'noop'),
  ch('apps.web.config', 'update'),
  ch('gateway.services.gone', 'delete'),
  ch('gateway.services.gone.routes.r', 'delete'),
];
const addrs = (cs: Change[]) => cs.map((c) => (c.from ? `${c.from}->${c.address}` : c.address));

test('a target takes what is under it, its containers and what they require, transitively; never unrelated deletes', () => {
  assert.deepEqual(addrs(targetChanges(plan, ['apps.api.formation.web'])), ['addons.db', 'apps.api', 'apps.api.formation.web']);
  assert.deepEqual(addrs(targetChanges(plan, ['apps.api'])), ['addons.db', 'apps.api', 'apps.api.config', 'apps.api.formation.web']);
  assert.deepEqual(addrs(targetChanges(plan, ['apps.web.config'])), ['apps.web.config'], 'a noop container is not pulled in');
  assert.deepEqual(addrs(targetChanges(plan, ['apps.new.config'])), ['apps.old->apps.new', 'apps.new.config'], 'the move of its container');
  assert.deepEqual(addrs(targetChanges(plan, ['apps.old'])), ['apps.old->apps.new'], 'a move by its old address');
  assert.deepEqual(addrs(targetChanges(plan, ['gateway.services.gone.routes.r'])), ['gateway.services.gone.routes.r'], 'a delete does not delete its container');
  assert.deepEqual(addrs(targetChanges(plan, ['addons.cache', 'apps.web'])), ['addons.cache', 'apps.web', 'apps.web.config']);
});

test('a target that names nothing is an error with a did-you-mean', () => {
  assert.throws(() => targetChanges(plan, ['apps.apii']), /--target apps\.apii: no resource at or under it .*did you mean apps\.api\?/);
  assert.throws(() => targetChanges(plan, ['apps.we']), /--target apps\.we: no resource/, 'apps.we is not a prefix of apps.web');
});

test('a gateway service takes the change of the app it points at; the warning names what the targets were expanded with', () => {
  const gw: Change[] = [
    ch('apps.shop', 'create', { whole: true }),
    ch('apps.shop.config', 'create'),
    ch('apps.web', 'update'),
    ch('gateway.services.shop', 'create', { requires: ['apps.shop'] }),
    ch('gateway.services.shop.routes.r', 'create'),
    ch('gateway.services.api', 'update', { requires: ['apps.web'] }),
  ];
  const sel = targetSelection(gw, ['gateway.services.shop.routes.r']);
  assert.deepEqual(addrs(sel.chosen), ['apps.shop', 'apps.shop.config', 'gateway.services.shop', 'gateway.services.shop.routes.r']);
  assert.deepEqual(addrs(sel.added), ['apps.shop', 'apps.shop.config', 'gateway.services.shop'], 'a whole create brings the creates under it');
  assert.deepEqual(addrs(targetChanges(gw, ['apps.web'])), ['apps.web'], 'an app does not take the services that point at it');
  const w = targetingWarning(['gateway.services.shop.routes.r'], sel.added);
  assert.match(w, /expanded with what they depend on: apps\.shop, apps\.shop\.config, gateway\.services\.shop\./);
  assert.match(w, /not for routine use/);
  assert.doesNotMatch(targetingWarning(['apps.web'], []), /expanded/);
});
