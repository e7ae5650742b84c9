import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateBody, validateEvent, topicOf, MAX_BATCH } from './validate.js';

const now = Date.parse('2026-11-21T18:00:00Z');

test('a good event is accepted with an id, the relay time and the client time', () => {
  const r = validateEvent({ type: 'click', product: 'p-001', at: '2026-11-21T17:59:59.500Z', session: 's1' }, '', undefined, now);
  assert.ok(r.ok);
  assert.equal(r.value.type, 'click');
  assert.equal(r.value.product, 'p-001');
  assert.equal(r.value.at, now - 500);
  assert.equal(r.value.relayedAt, now);
  assert.equal(r.value.session, 's1');
  assert.match(r.value.id, /^[0-9a-f-]{36}$/);
});

test('each bad field is named with what a good value looks like', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ product: 'p-1' }, 'type', /required/],
    [{ type: 'purchase', product: 'p-1' }, 'type', /"click" or "pageload"/],
    [{ type: 'click' }, 'product', /required/],
    [{ type: 'click', product: '' }, 'product', /product id/],
    [{ type: 'click', product: 'a b' }, 'product', /product id/],
    [{ type: 'click', product: 7 }, 'product', /product id/],
    [{ type: 'click', product: 'p', at: 'yesterday' }, 'at', /epoch milliseconds or an ISO 8601/],
    [{ type: 'click', product: 'p', at: now + 2 * 86_400_000 }, 'at', /future/],
    [{ type: 'click', product: 'p', session: '' }, 'session', /1-128/],
    [{ type: 'click', product: 'p', price: 3 }, 'price', /unknown field "price"/],
    ['click', 'body', /JSON object/],
    [null, 'body', /JSON object/],
  ];
  for (const [input, field, message] of cases) {
    const r = validateBody(input, undefined, now);
    assert.ok(!r.ok, JSON.stringify(input));
    assert.equal(r.error.field, field, JSON.stringify(input));
    assert.match(r.error.message, message);
  }
});

test('a path-implied type fills in a missing type and rejects a different one', () => {
  const ok = validateBody({ product: 'p-2' }, 'pageload', now);
  assert.ok(ok.ok);
  assert.equal(ok.value[0]!.type, 'pageload');
  const bad = validateBody({ type: 'click', product: 'p-2' }, 'pageload', now);
  assert.ok(!bad.ok);
  assert.match(bad.error.message, /takes "pageload" events/);
});

test('arrays are all or nothing, and the bad element is named by index', () => {
  const ok = validateBody([{ type: 'click', product: 'a' }, { type: 'pageload', product: 'b' }], undefined, now);
  assert.ok(ok.ok);
  assert.equal(ok.value.length, 2);
  const bad = validateBody([{ type: 'click', product: 'a' }, { type: 'click' }], undefined, now);
  assert.ok(!bad.ok);
  assert.equal(bad.error.field, '[1].product');
  assert.ok(!validateBody([], undefined, now).ok);
  const many = Array.from({ length: MAX_BATCH + 1 }, () => ({ type: 'click', product: 'a' }));
  const tooMany = validateBody(many, undefined, now);
  assert.ok(!tooMany.ok);
  assert.match(tooMany.error.message, /at most 500/);
});

test('topics follow the reference architecture', () => {
  assert.equal(topicOf('click'), 'edm-ui-click');
  assert.equal(topicOf('pageload'), 'edm-ui-pageload');
});
