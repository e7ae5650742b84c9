import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adoptionFor, editYaml } from './adopt.js';
import { makePlan } from './plan.js';
import { FakeProvider } from './testing/fake-provider.js';

const FILE = `# The shop: every comment here must survive an adopt.
name: shop

apps:
  # The storefront.
  web-ui:
    processes:
      web: node server.js   # serves HTML
    scale:
      web: 2 # two for the morning rush
    env:
      MODE: production # keep
      # Old flag, removed by hand in an emergency:
      LEGACY: "1"

  stats: # internal numbers
    internal: true
    scale: { web: 1, worker: 0 }

gateway:
  services:
    shop:
      app: web-ui
      routes:
        home: { paths: [/] } # the only public route
`;

test('edits keep every comment, blank line and style of the file', () => {
  const out = editYaml(FILE, [
    { path: ['apps', 'web-ui', 'scale', 'web'], value: 3 },
    { path: ['apps', 'web-ui', 'env', 'LEGACY'], value: undefined },
    { path: ['apps', 'web-ui', 'env', 'FEATURE_X'], value: 'on' },
    { path: ['apps', 'stats', 'scale', 'worker'], value: 2 },
    { path: ['gateway', 'services', 'shop', 'routes', 'admin'], value: { paths: ['/admin'], methods: ['GET'] } },
  ]);
  const expected = `# The shop: every comment here must survive an adopt.
name: shop

apps:
  # The storefront.
  web-ui:
    processes:
      web: node server.js   # serves HTML
    scale:
      web: 3 # two for the morning rush
    env:
      MODE: production # keep
      FEATURE_X: on

  stats: # internal numbers
    internal: true
    scale: { web: 1, worker: 2 }

gateway:
  services:
    shop:
      app: web-ui
      routes:
        home: { paths: [/] } # the only public route
        admin: { paths: [/admin], methods: [GET] }
`;
  assert.equal(out, expected);
});

test('removing the last config var removes the empty map too', () => {
  const out = editYaml('apps:\n  a:\n    env:\n      X: "1" # only one\n    scale:\n      web: 1\n', [{ path: ['apps', 'a', 'env', 'X'], value: undefined }]);
  assert.equal(out, 'apps:\n  a:\n    scale:\n      web: 1\n');
});

test('only drifted changes are adopted; file-only changes stay to be applied', async () => {
  const p = new FakeProvider('formation', 40);
  p.live.set('apps.a.formation.web', { count: 5 });
  p.live.set('apps.b.formation.web', { count: 1 });
  const rec = {
    'apps.a.formation.web': { id: '1', kind: 'formation', attributes: { count: 1 } },
    'apps.b.formation.web': { id: '2', kind: 'formation', attributes: { count: 1 } },
  };
  const desired = new Map([
    ['apps.a.formation.web', { kind: 'formation', count: 1 }],
    ['apps.b.formation.web', { kind: 'formation', count: 4 }],
  ]);
  const plan = await makePlan([p], desired, rec);
  const a = adoptionFor(plan, [p]);
  assert.deepEqual(a.adopted.map((c) => c.address), ['apps.a.formation.web']);
  assert.deepEqual(a.edits, [{ path: ['apps', 'a', 'formation', 'web'], value: { count: 5 } }]);
});

test('a missing parent is created (in the style of its siblings); a nested map is replaced in place; the rest is untouched', () => {
  const text = 'name: s # n\napps:\n  a:\n    processes: { web: x }\n  b:\n    env:\n      K: v\n# end\n';
  assert.equal(
    editYaml(text, [{ path: ['apps', 'a', 'scale', 'web'], value: 2 }]),
    // processes is written in flow style, so the new scale is too.
    'name: s # n\napps:\n  a:\n    processes: { web: x }\n    scale: { web: 2 }\n  b:\n    env:\n      K: v\n# end\n',
  );
  assert.equal(
    editYaml(text, [{ path: ['apps', 'b', 'env'], value: { K: 'w', L: 'x' } }]),
    'name: s # n\napps:\n  a:\n    processes: { web: x }\n  b:\n    env:\n      K: w\n      L: x\n# end\n',
  );
  assert.equal(editYaml(text, [{ path: ['apps', 'a', 'processes', 'worker'], value: 'y' }]), text.replace('{ web: x }', '{ web: x, worker: y }'));
});

test('flow collections are edited in their own style, their comments kept once', () => {
  const text = [
    'apps:',
    '  stats:',
    '    scale: { web: 2 } # two consumers share the partitions',
    'gateway:',
    '  services:',
    '    stats:',
    '      routes:',
    '        stats: { paths: [/api/stats], methods: [GET, HEAD], strip_path: false } # read only',
    '  consumers:',
    '    partner:',
    '      keys: [partner-key-0001] # demo key',
    '',
  ].join('\n');
  const out = editYaml(text, [
    { path: ['apps', 'stats', 'scale', 'web'], value: 1 },
    { path: ['gateway', 'services', 'stats', 'routes', 'stats', 'methods'], value: ['GET', 'HEAD', 'OPTIONS'] },
    { path: ['gateway', 'consumers', 'partner', 'keys'], value: ['emergency-key-42', 'partner-key-0001'] },
  ]);
  assert.equal(
    out,
    text
      .replace('{ web: 2 }', '{ web: 1 }')
      .replace('methods: [GET, HEAD]', 'methods: [GET, HEAD, OPTIONS]')
      .replace('keys: [partner-key-0001]', 'keys: [emergency-key-42, partner-key-0001]'),
  );
});
