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
