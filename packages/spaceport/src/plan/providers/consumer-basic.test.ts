/**
 * basic-auth passwords in the consumer provider: compared by the salted hash the gateway's admin API shows,
 * so a password changed on either side is a difference; never shown in a plan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceFromText } from '../../config/load.js';
import { basicPasswordHash } from '../../gateway/admin/password-hash.js';
import { maskValue } from '../mask.js';
import { ConsumerProvider } from './gateway.js';
import { GatewayLive } from './gateway-live.js';

const YAML = 'name: c\ngateway:\n  consumers:\n    bob:\n      basic: [{ username: bob, password: pw-1 }]\n';

test('a basic-auth password is compared by its salted hash', async () => {
  const { space } = await loadSpaceFromText(YAML, join(tmpdir(), 'spaceport.yaml'));
  const p = new ConsumerProvider(new GatewayLive(undefined));
  const want = p.desired(space!).get('gateway.consumers.bob')!;
  const live = (pw: string) => ({ keys: [], basic: [{ username: 'bob', password_sha256: basicPasswordHash('bob', 'bob', pw) }], groups: [] });
  assert.deepEqual(p.diff(want, live('pw-1')), []);
  assert.deepEqual(p.diff(want, live('pw-2')).map((c) => c.action), ['update']);
  assert.equal(p.equal(live('pw-1'), live('pw-2')), false, 'drift: the recorded hash differs from the live one');
  // Salted: the same password of another consumer or credential hashes differently.
  assert.notEqual(basicPasswordHash('bob', 'bob', 'pw-1'), basicPasswordHash('ann', 'bob', 'pw-1'));
  // A record from before hashes were shown compares usernames only.
  assert.equal(p.equal({ keys: [], basic: [{ username: 'bob' }], groups: [] }, live('pw-2')), true);
  // The file's password and its hash are masked in plan output.
  assert.doesNotMatch(JSON.stringify(maskValue(want)), /pw-1|[0-9a-f]{64}/);
  // A changed password cannot be written into the file.
  assert.deepEqual(p.adopt('gateway.consumers.bob', live('pw-2'), want), []);
});
