import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CounterHub, SharedCounters, type CounterDelta } from './shared-counters.js';

test('two workers see each other\'s counts after a sync through the hub', () => {
  const hub = new CounterHub();
  const outbox: CounterDelta[][] = [];
  const a = new SharedCounters((d) => outbox.push(d));
  const b = new SharedCounters((d) => outbox.push(d));
  a.shared = b.shared = true;
  assert.equal(a.take('k', 1000, 60_000), 0);
  assert.equal(a.take('k', 1000, 60_000), 1);
  assert.equal(b.take('k', 1000, 60_000), 0, 'b has not heard of a yet');
  a.flush();
  b.flush();
  for (const d of outbox.splice(0)) {
    const totals = hub.add(d);
    a.apply(totals);
    b.apply(totals);
  }
  assert.equal(a.peek('k', 1000), 3);
  assert.equal(b.peek('k', 1000), 3);
  assert.equal(b.take('k', 1000, 60_000), 3);
  assert.equal(a.peek('k', 2000), 0, 'a new window starts at zero');
});

test('a single worker counts locally and exactly, and drops ended windows', () => {
  const c = new SharedCounters(() => assert.fail('nothing is sent without other workers'));
  for (let i = 0; i < 5; i++) c.take('x', 0, 1000);
  assert.equal(c.peek('x', 0), 5);
});

test('a worker that joins late starts from the snapshot of open windows', () => {
  const hub = new CounterHub();
  hub.add([['k', Date.now() - (Date.now() % 60_000), 4, 60_000]]);
  hub.add([['old', 0, 9, 1000]]);
  const late = new SharedCounters(() => {});
  late.apply(hub.snapshot());
  const start = Date.now() - (Date.now() % 60_000);
  assert.equal(late.peek('k', start), 4);
  assert.equal(late.peek('old', 0), 0, 'ended windows are not in the snapshot');
});
