import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceOrThrow } from '../config/load.js';
import { resolveOutputs } from './outputs.js';

test('outputs resolve gateway and app addresses; unknown references are reported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-outputs-'));
  try {
    mkdirSync(join(dir, 'shop'));
    writeFileSync(
      join(dir, 'spaceport.yaml'),
      [
        'name: s',
        'apps:',
        '  shop: { processes: { web: node s.js } }',
        '  stats: { processes: { web: node s.js }, internal: true, root: ./shop }',
        'outputs:',
        '  public: ${gateway.url}',
        '  shop: { value: "${apps.shop.url}/", description: the storefront }',
        '  stats: ${apps.stats.internal_url}',
        '  admin: { value: "${gateway.admin_url}", sensitive: true }',
        '  bad: ${apps.nope.url}',
      ].join('\n'),
    );
    const space = await loadSpaceOrThrow(join(dir, 'spaceport.yaml'));
    const r = resolveOutputs(space, { gateway: 'http://127.0.0.1:8123', admin: 'http://127.0.0.1:9', internal: { stats: 'http://127.0.0.1:4000' } });
    assert.deepEqual(r.outputs, {
      public: { value: 'http://127.0.0.1:8123', sensitive: false },
      shop: { value: 'http://shop.localhost:8123/', sensitive: false, description: 'the storefront' },
      stats: { value: 'http://127.0.0.1:4000', sensitive: false },
      admin: { value: 'http://127.0.0.1:9', sensitive: true },
      bad: { value: '${apps.nope.url}', sensitive: false },
    });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /output bad: cannot resolve \$\{apps\.nope\.url\}/);
    assert.deepEqual(r.pending, [], 'apps.nope is no app: a problem, not a value to come');
    // Before apply starts stats (and the gateway), its addresses are to come: pending, not wrong.
    const early = resolveOutputs(space, { gateway: null, internal: {} });
    assert.deepEqual(early.pending, ['public', 'shop', 'stats', 'admin']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
