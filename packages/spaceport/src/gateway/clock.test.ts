import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enter, leave, now } from './clock.js';

const spin = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

test('inside a read handler the time is read once; outside (and after it) now() is the live clock', () => {
  enter();
  const t0 = now();
  spin(3);
  assert.equal(now(), t0, 'cached within the handler');
  enter(); // nested (a handler that runs another one's code)
  assert.equal(now(), t0);
  leave();
  assert.equal(now(), t0, 'still the outer handler');
  leave();
  assert.ok(now() >= t0 + 3, 'live again once the handler ended');
  spin(2);
  const a = now();
  spin(2);
  assert.ok(now() > a, 'outside a handler every call reads the clock');
});
