/**
 * One contract every provider passes (desired values from a real spaceport.yaml, no platform needed):
 * addresses under the provider's part of the file, a value diffs to nothing against itself, to one create
 * against nothing and one delete from nothing; and what `adopt` writes into the file loads back as the
 * live value it adopted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceFromText, type Space } from '../../config/load.js';
import { editYaml } from '../adopt.js';
import { spaceProviders } from './index.js';

const YAML = `name: contract # every kind of resource
addons:
  db: { type: postgres }
  events:
    type: kafka
    topics:
      orders: { partitions: 2 }
apps:
  web:
    processes: { web: node web.js, worker: node worker.js }
    scale: { web: 2, worker: 1 }
    env: { MODE: production, API_TOKEN: secret-1 }
    addons: [db, events]
gateway:
  plugins:
    correlation-id: {}
  services:
    api:
      app: web
      plugins:
        rate-limiting: { minute: 60 }
      routes:
        root: { paths: [/api], methods: [GET] }
  consumers:
    partner:
      keys: [partner-key-0001]
`;

async function load(dir: string, text: string): Promise<Space> {
  const { space, diagnostics } = await loadSpaceFromText(text, join(dir, 'spaceport.yaml'));
  if (!space) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return space;
}

test('every provider keeps the contract', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-contract-'));
  try {
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'web.js'), '');
    const space = await load(dir, YAML);
    const { providers } = spaceProviders({ control: async () => ({}) as never });
    const kinds = new Set<string>();
    for (const p of providers) {
      const desired = p.desired(space);
      assert.ok(desired.size > 0, `${p.kind}: the fixture has resources of every kind`);
      kinds.add(p.kind);
      for (const [address, value] of desired) {
        assert.match(address, /^(apps|addons|gateway)\./, `${p.kind}: ${address}`);
        assert.deepEqual(p.diff(value, structuredClone(value)), [], `${p.kind} ${address}: no change against itself`);
        assert.deepEqual(p.diff(value, undefined).map((c) => c.action), ['create'], `${p.kind} ${address}`);
        assert.deepEqual(p.diff(undefined, value).map((c) => c.action), ['delete'], `${p.kind} ${address}`);
        if (p.equal) assert.equal(p.equal(value, structuredClone(value)), true);
        for (const e of p.adopt?.(address, value, value) ?? []) assert.fail(`${p.kind} ${address}: adopting the file's own value edits ${e.path.join('.')}`);
      }
    }
    assert.equal(kinds.size, providers.length);

    // Adopted values load back as the live values they came from.
    const live: Record<string, unknown> = {
      'apps.web.formation.web': { count: 5 },
      'apps.web.config': { vars: { MODE: 'debug', EXTRA: '1' } },
      'gateway.services.api.routes.root': { hosts: [], paths: ['/api', '/v2'], methods: ['GET', 'POST'], headers: {}, strip_path: false, preserve_host: false, regex_priority: 0 },
      'gateway.services.api.routes.added': { hosts: ['x.example.com'], paths: [], methods: [], headers: {}, strip_path: true, preserve_host: false, regex_priority: 0 },
      'gateway.consumers.partner': { keys: ['emergency-key-42', 'partner-key-0001'], basic: [], groups: ['ops'] },
      'gateway.services.api.plugins.rate-limiting': { config: { minute: 10 }, enabled: true },
      'addons.events.topics.orders': { partitions: 4, retention: 3_600_000, retention_bytes: 1_000_000 },
    };
    let text = YAML;
    for (const [address, value] of Object.entries(live)) {
      const p = providers.find((x) => x.desired(space).has(address) || (address.includes('.routes.') && x.kind === 'route'))!;
      text = editYaml(text, p.adopt!(address, value, p.desired(space).get(address)));
    }
    const adopted = await load(dir, text);
    for (const [address, value] of Object.entries(live)) {
      const p = providers.find((x) => x.desired(adopted).has(address))!;
      assert.ok(p, `${address} is in the adopted file`);
      const got = p.desired(adopted).get(address);
      assert.ok(p.equal ? p.equal(got, value) : JSON.stringify(got) === JSON.stringify(value), `${address}: ${JSON.stringify(got)} loads back as ${JSON.stringify(value)}`);
    }
    assert.match(text, /^name: contract # every kind of resource\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
