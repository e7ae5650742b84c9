import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fanout, toStreamEvent, traceOf, type StreamEvent } from './fanout.js';

test('events of one turn go out in one broadcast; traced ones get their emit stamp', async () => {
  const frames: StreamEvent[][] = [];
  const f = new Fanout((events) => frames.push(events));
  const value = Buffer.from(JSON.stringify({ type: 'click', product: 'p-001', at: 1 }));
  const a = toStreamEvent('edm-ui-click', 0, '7', value)!;
  const b = toStreamEvent('edm-ui-click', 1, '8', value)!;
  b.trace = traceOf({ 'edm-trace': Buffer.from('10,11,12'), 'edm-sent': Buffer.from('13') }, 14);
  f.push([a]);
  f.push([b]);
  assert.equal(toStreamEvent('edm-ui-click', 0, '9', Buffer.from('not json')), undefined);
  await new Promise((r) => setImmediate(r));
  assert.equal(frames.length, 1);
  assert.deepEqual(frames[0]!.map((e) => e.offset), ['7', '8']);
  assert.equal(a.trace, undefined, 'an untraced event carries no trace');
  assert.deepEqual(b.trace!.slice(0, 5), [10, 11, 12, 13, 14]);
  assert.ok(b.trace![5]! >= Date.now() - 1000, 'the emit stamp is the flush time');
  assert.equal(traceOf(undefined, 1), undefined);
});

test('under load broadcasts leave at most every minIntervalMs, each with everything that arrived meanwhile', async () => {
  const frames: [number, number][] = [];
  let next: () => void = () => {};
  const f = new Fanout((events) => {
    frames.push([Date.now(), events.length]);
    next();
  }, 500);
  const e = toStreamEvent('edm-ui-click', 0, '1', Buffer.from('{"type":"click","product":"p-001"}'))!;
  const turn = () => new Promise((r) => setImmediate(r));
  f.push([e]);
  await turn();
  assert.equal(frames.length, 1, 'the first event after a quiet spell goes out on the next turn');
  const second = new Promise<void>((r) => (next = r));
  for (let i = 0; i < 5; i++) {
    f.push([e, e]);
    await turn();
  }
  assert.equal(frames.length, 1, 'within the interval nothing more goes out');
  await second;
  assert.deepEqual(frames.map(([, n]) => n), [1, 10], 'the second broadcast carries all ten');
  assert.ok(frames[1]![0] - frames[0]![0] >= 499, `${frames[1]![0] - frames[0]![0]} ms apart`);
});
