import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addonUrl } from './addon-url.js';

test('an add-on URL is compared by its masked form and a keyed HMAC: a new password shows, the password never does', () => {
  const key = 'k'.repeat(64);
  const a = addonUrl('postgres://shop:hunter2@db.internal:5432/shop', key);
  const b = addonUrl('postgres://shop:swordfish@db.internal:5432/shop', key);
  assert.equal(a.url, 'postgres://shop:***@db.internal:5432/shop');
  assert.equal(a.url, b.url);
  assert.notEqual(a.password, b.password, 'a password change is a change');
  assert.ok(!JSON.stringify([a, b]).includes('hunter2') && !JSON.stringify([a, b]).includes('swordfish'));
  assert.notEqual(addonUrl('postgres://shop:hunter2@db.internal:5432/shop', 'other key').password, a.password, 'keyed: the HMAC depends on the space key');
  assert.deepEqual(addonUrl('kafka://127.0.0.1:9092', key), { url: 'kafka://127.0.0.1:9092', password: null });
  assert.deepEqual(addonUrl(undefined, key), { url: null, password: null });
});
