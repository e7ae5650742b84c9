import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePlan, visibleChanges, type ResourceRecord } from './plan.js';
import { applyPlan } from './apply.js';
import { FakeProvider, type Value } from './testing/fake-provider.js';

/** A state.resources held in memory, with the recorder interface apply uses. */
function memoryState(initial: Record<string, ResourceRecord> = {}) {
  let s = { resources: structuredClone(initial) };
  let writes = 0;
  return {
    read: () => s,
    update(fn: (x: { resources: Record<string, ResourceRecord> }) => void) {
      const next = structuredClone(s);
      fn(next);
      s = next;
      writes++;
    },
    get writes() {
      return writes;
    },
  };
}

function setup() {
  const addons = new FakeProvider('addon', 0);
  const apps = new FakeProvider('formation', 40);
  const routes = new FakeProvider('route', 60);
  return { addons, apps, routes, providers: [routes, apps, addons] };
}

const want = (entries: [string, string, Value][]) => new Map(entries.map(([a, kind, v]) => [a, { kind, ...v }]));

test('creates in dependency order, records ids, then a second plan is empty', async () => {
  const { providers, addons, apps, routes } = setup();
  const desired = want([
    ['gateway.services.s.routes.r', 'route', { paths: ['/a'] }],
    ['apps.a.formation.web', 'formation', { count: 2 }],
    ['addons.db', 'addon', { type: 'postgres' }],
  ]);
  const st = memoryState();
  const plan = await makePlan(providers, desired, st.read().resources);
  assert.deepEqual(
    visibleChanges(plan).map((c) => `${c.action} ${c.address}`),
    ['create addons.db', 'create apps.a.formation.web', 'create gateway.services.s.routes.r'],
  );
  const res = await applyPlan(plan, providers, st);
  assert.equal(res.failed.length, 0);
  assert.deepEqual([...addons.applied, ...apps.applied, ...routes.applied].length, 3);
  const ids = Object.values(st.read().resources).map((r) => r.id);
  assert.equal(new Set(ids).size, 3);
  const again = await makePlan(providers, desired, st.read().resources);
  assert.deepEqual(visibleChanges(again), []);
  // A no-op apply writes nothing.
  const before = st.writes;
  await applyPlan(again, providers, st);
  assert.equal(st.writes, before);
});

test('deletes run after creates, in reverse dependency order', async () => {
  const { providers, addons, apps, routes } = setup();
  addons.live.set('addons.db', {});
  apps.live.set('apps.a.formation.web', { count: 1 });
  routes.live.set('gateway.services.s.routes.r', {});
  const order: string[] = [];
  for (const p of providers) {
    const orig = p.apply.bind(p);
    p.apply = async (c) => {
      order.push(`${c.action} ${c.address}`);
      return orig(c);
    };
  }
  const plan = await makePlan(providers, want([['apps.b.formation.web', 'formation', { count: 1 }]]), {});
  await applyPlan(plan, providers, memoryState());
  assert.deepEqual(order, [
    'create apps.b.formation.web',
    'delete gateway.services.s.routes.r',
    'delete apps.a.formation.web',
    'delete addons.db',
  ]);
});

test('drift: a live value that differs from state is marked, and apply undoes it', async () => {
  const { providers, apps } = setup();
  const desired = want([['apps.a.formation.web', 'formation', { count: 2 }]]);
  const st = memoryState();
  await applyPlan(await makePlan(providers, desired, {}), providers, st);
  apps.live.set('apps.a.formation.web', { count: 5 }); // scaled by hand
  const plan = await makePlan(providers, desired, st.read().resources);
  const [c] = visibleChanges(plan);
  assert.equal(c?.action, 'update');
  assert.equal(c?.drift, true);
  assert.deepEqual(c?.before, { count: 5 });
  assert.deepEqual(c?.after, { count: 2 });
  await applyPlan(plan, providers, st);
  assert.deepEqual(apps.live.get('apps.a.formation.web'), { count: 2 });
  assert.deepEqual(visibleChanges(await makePlan(providers, desired, st.read().resources)), []);
});

test('a change made only in the file is not drift; a resource created outside is', async () => {
  const { providers, routes } = setup();
  const st = memoryState();
  await applyPlan(await makePlan(providers, want([['gateway.services.s.routes.r', 'route', { p: 1 }]]), {}), providers, st);
  routes.live.set('gateway.services.s.routes.extra', { p: 9 });
  const plan = await makePlan(providers, want([['gateway.services.s.routes.r', 'route', { p: 2 }]]), st.read().resources);
  const byAddr = Object.fromEntries(visibleChanges(plan).map((c) => [c.address, c]));
  assert.equal(byAddr['gateway.services.s.routes.r']?.drift, false);
  assert.equal(byAddr['gateway.services.s.routes.r']?.action, 'update');
  assert.equal(byAddr['gateway.services.s.routes.extra']?.action, 'delete');
  assert.equal(byAddr['gateway.services.s.routes.extra']?.drift, true);
});

test('live resources neither in the file nor in state are left alone by providers that do not own them', async () => {
  const topics = new FakeProvider('topic', 10, false);
  topics.live.set('addons.events.topics.auto', { partitions: 1 });
  const plan = await makePlan([topics], new Map(), {});
  assert.deepEqual(visibleChanges(plan), []);
});

test('replace when a provider says an attribute cannot change in place', async () => {
  const p = new FakeProvider('addon', 0, true, ['type']);
  p.live.set('addons.x', { type: 'kafka' });
  const plan = await makePlan([p], want([['addons.x', 'addon', { type: 'postgres' }]]), {});
  const [c] = visibleChanges(plan);
  assert.equal(c?.action, 'replace');
  assert.equal(c?.reason, 'type changed');
});

test('moved: state and live resources move, ids are kept, no destroy/create', async () => {
  const { providers, apps } = setup();
  const st = memoryState();
  const oldWant = want([
    ['apps.old.formation.web', 'formation', { count: 1 }],
    ['apps.old.formation.worker', 'formation', { count: 2 }],
  ]);
  await applyPlan(await makePlan(providers, oldWant, {}), providers, st);
  const ids = Object.values(st.read().resources).map((r) => r.id).sort();
  const newWant = want([
    ['apps.new.formation.web', 'formation', { count: 1 }],
    ['apps.new.formation.worker', 'formation', { count: 3 }],
  ]);
  const plan = await makePlan(providers, newWant, st.read().resources, { moved: [{ from: 'apps.old', to: 'apps.new' }] });
  assert.deepEqual(
    visibleChanges(plan).map((c) => `${c.action} ${c.from ?? ''} ${c.address}`),
    ['move apps.old.formation.web apps.new.formation.web', 'move apps.old.formation.worker apps.new.formation.worker', 'update  apps.new.formation.worker'],
  );
  await applyPlan(plan, providers, st);
  assert.deepEqual([...apps.live.keys()].sort(), ['apps.new.formation.web', 'apps.new.formation.worker']);
  assert.deepEqual(Object.keys(st.read().resources).sort(), ['apps.new.formation.web', 'apps.new.formation.worker']);
  assert.deepEqual(Object.values(st.read().resources).map((r) => r.id).sort(), ids);
  // The moved: entry can stay in the file: once applied it is a no-op.
  const again = await makePlan(providers, newWant, st.read().resources, { moved: [{ from: 'apps.old', to: 'apps.new' }] });
  assert.deepEqual(visibleChanges(again), []);
});

test('moved onto an address that already exists is an error naming both', async () => {
  const { providers } = setup();
  const rec = { id: '1', kind: 'formation', attributes: {} };
  await assert.rejects(
    makePlan(providers, new Map(), { 'apps.a.formation.web': rec, 'apps.b.formation.web': { ...rec, id: '2' } }, { moved: [{ from: 'apps.a', to: 'apps.b' }] }),
    /cannot move apps\.a\.formation\.web to apps\.b\.formation\.web/,
  );
});

test('a rename without moved that destroys data is refused, with a hint; --allow-destroy accepts it', async () => {
  const p = new FakeProvider('app', 20);
  p.live.set('apps.old', { data: true });
  const st = memoryState({ 'apps.old': { id: 'x', kind: 'app', attributes: { data: true } } });
  const desired = want([['apps.new', 'app', { data: true }]]);
  const plan = await makePlan([p], desired, st.read().resources);
  assert.equal(plan.refusals.length, 1);
  assert.match(plan.refusals[0]!, /apps\.old would be destroyed: it holds data; if it was renamed to apps\.new, add moved: \[\{ from: apps\.old, to: apps\.new \}\]/);
  const ok = await makePlan([p], desired, st.read().resources, { allowDestroy: true });
  assert.deepEqual(ok.refusals, []);
  assert.equal(ok.warnings.length, 1);
});

test('destroy keeps data unless includeData', async () => {
  const p = new FakeProvider('addon', 0);
  p.live.set('addons.db', { data: true });
  const rec = { 'addons.db': { id: 'x', kind: 'addon', attributes: { data: true } } };
  const keep = await makePlan([p], new Map(), rec, { destroy: true });
  assert.equal(keep.changes[0]?.keepData, true);
  assert.deepEqual(keep.refusals, []);
  const all = await makePlan([p], new Map(), rec, { destroy: true, includeData: true });
  assert.equal(all.changes[0]?.keepData, undefined);
  assert.deepEqual(all.refusals, []);
});

test('partial failure: successes are recorded, dependents skipped, the rest applied', async () => {
  const { providers, apps, routes } = setup();
  apps.failOn.add('apps.bad.formation.web');
  const desired = want([
    ['apps.good.formation.web', 'formation', { count: 1 }],
    ['apps.bad.formation.web', 'formation', { count: 1 }],
    ['gateway.services.good.routes.r', 'route', { x: 1 }],
  ]);
  const st = memoryState();
  const plan = await makePlan(providers, desired, {});
  const badRoute = { ...plan.changes.find((c) => c.address === 'gateway.services.good.routes.r')! };
  // A route to the failed app would be skipped.
  plan.changes.push({ ...badRoute, address: 'gateway.services.bad.routes.r', id: 'z', requires: ['apps.bad'] });
  const res = await applyPlan(plan, providers, st);
  assert.deepEqual(res.failed.map((f) => [f.change.address, f.error]), [['apps.bad.formation.web', 'apps.bad.formation.web exploded']]);
  assert.deepEqual(res.skipped.map((s) => s.change.address), ['gateway.services.bad.routes.r']);
  assert.deepEqual(Object.keys(st.read().resources).sort(), ['apps.good.formation.web', 'gateway.services.good.routes.r']);
  assert.deepEqual([...routes.live.keys()], ['gateway.services.good.routes.r']);
  // The next plan retries only what failed.
  apps.failOn.clear();
  const retry = await makePlan(providers, desired, st.read().resources);
  assert.deepEqual(visibleChanges(retry).map((c) => c.address), ['apps.bad.formation.web']);
});

test('a record whose resource is gone and no longer wanted is dropped by the next apply', async () => {
  const p = new FakeProvider('route', 60);
  const st = memoryState({ 'gateway.services.s.routes.r': { id: '1', kind: 'route', attributes: {} } });
  const plan = await makePlan([p], new Map(), st.read().resources);
  assert.deepEqual(visibleChanges(plan), []);
  await applyPlan(plan, [p], st);
  assert.deepEqual(st.read().resources, {});
});

test('a provider that cannot read fails the plan with its kind named', async () => {
  const p = new FakeProvider('route', 60);
  p.read = async () => {
    throw new Error('admin API refused the token');
  };
  await assert.rejects(makePlan([p], new Map(), {}), /cannot read the live route resources: admin API refused the token/);
});

test('moved: entries with bad addresses are refused with what to write', async () => {
  const { providers } = setup();
  await assert.rejects(makePlan(providers, new Map(), {}, { moved: [{ from: 'app.old', to: 'apps.new' }] }), /moved\[0\]: "app\.old" does not start with apps\., addons\. or gateway\./);
  await assert.rejects(makePlan(providers, new Map(), {}, { moved: [{ from: 'apps.old', to: 'gateway.services.old' }] }), /moved\[0\]: .* different kinds of resource/);
});

test('moving a resource whose kind cannot be renamed plans delete and create, with a warning', async () => {
  const topics = new FakeProvider('topic', 10, false, [], false);
  topics.live.set('addons.k.topics.old', { partitions: 1 });
  const rec = { 'addons.k.topics.old': { id: 't', kind: 'topic', attributes: { partitions: 1 } } };
  const plan = await makePlan([topics], want([['addons.k.topics.new', 'topic', { partitions: 1 }]]), rec, { moved: [{ from: 'addons.k.topics.old', to: 'addons.k.topics.new' }] });
  assert.deepEqual(visibleChanges(plan).map((c) => `${c.action} ${c.address}`).sort(), ['create addons.k.topics.new', 'delete addons.k.topics.old']);
  assert.match(plan.warnings[0]!, /addons\.k\.topics\.old cannot be renamed in place \(a topic has no rename\)/);
});
