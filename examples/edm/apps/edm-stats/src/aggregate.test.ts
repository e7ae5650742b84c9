import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, eventKey, keyOf, parseKey, type InMessage } from './aggregate.js';

const T = Date.parse('2026-11-21T18:00:30Z');
const msg = (offset: number, value: unknown, ts = T): InMessage => ({
  offset: String(offset),
  timestamp: String(ts),
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

test('counts per product, type and minute from the message timestamp', () => {
  const a = aggregate(
    [
      msg(0, { type: 'click', product: 'p1' }),
      msg(1, { type: 'click', product: 'p1' }),
      msg(2, { type: 'pageload', product: 'p1' }),
      msg(3, { type: 'click', product: 'p1' }, T + 60_000),
    ],
    0n,
  );
  const minute = Date.parse('2026-11-21T18:00:00Z');
  assert.equal(a.counts.get(keyOf({ product: 'p1', type: 'click', minute })), 2);
  assert.equal(a.counts.get(keyOf({ product: 'p1', type: 'pageload', minute })), 1);
  assert.equal(a.counts.get(keyOf({ product: 'p1', type: 'click', minute: minute + 60_000 })), 1);
  assert.equal(a.counted, 4);
  assert.equal(a.nextOffset, 4n);
});

test('messages before the stored offset are skipped as already counted', () => {
  const a = aggregate([msg(5, { type: 'click', product: 'p' }), msg(6, { type: 'click', product: 'p' }), msg(7, { type: 'click', product: 'p' })], 7n);
  assert.equal(a.duplicates, 2);
  assert.equal(a.counted, 1);
  assert.equal(a.nextOffset, 8n);
  const none = aggregate([msg(5, { type: 'click', product: 'p' })], 9n);
  assert.equal(none.counted, 0);
  assert.equal(none.nextOffset, 9n, 'the stored offset never moves back');
});

test('messages that are not events are consumed but not counted', () => {
  const a = aggregate([msg(0, 'not json'), msg(1, null), msg(2, { type: 'buy', product: 'p' }), msg(3, { type: 'click' })], 0n);
  assert.equal(a.invalid, 4);
  assert.equal(a.counted, 0);
  assert.equal(a.nextOffset, 4n);
});

test('keys round-trip, product names with any characters included', () => {
  const k = { product: 'p.1_x-y', type: 'pageload' as const, minute: 60_000 };
  assert.deepEqual(parseKey(keyOf(k)), k);
  assert.equal(eventKey(msg(0, { type: 'click', product: '' })), undefined);
});
