import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planJson, renderPlan, summaryLine } from './render.js';
import { looksSecret, maskUrl, MASK } from './mask.js';
import type { Plan } from './plan.js';
import type { Change } from './types.js';

const ch = (c: Partial<Change> & Pick<Change, 'action' | 'address'>): Change => ({ kind: 'x', id: 'i', drift: false, ...c });

const plan: Plan = {
  refusals: [],
  warnings: [],
  changes: [
    ch({ action: 'move', from: 'apps.old', address: 'apps.new' }),
    ch({ action: 'create', address: 'gateway.services.s.routes.r', after: { paths: ['/a'], strip_path: true } }),
    ch({ action: 'update', address: 'apps.a.formation.web', before: { count: 3 }, after: { count: 2 }, drift: true }),
    ch({ action: 'update', address: 'apps.a.config', before: { vars: { MODE: 'a', DB_PASSWORD: 'hunter2', KEEP: '1' } }, after: { vars: { MODE: 'b', DB_PASSWORD: 'swordfish', KEEP: '1', STRIPE_API_KEY: 'sk_live_1' } } }),
    ch({ action: 'replace', address: 'addons.db', before: { type: 'kafka' }, after: { type: 'postgres' }, reason: 'type changed' }),
    ch({ action: 'delete', address: 'gateway.consumers.c', before: { keys: ['secret-key-1'] }, drift: true }),
    ch({ action: 'noop', address: 'apps.z.formation.web', before: { count: 1 }, after: { count: 1 } }),
  ],
};

test('renders each action like terraform plan, with values before → after and a summary', () => {
  const text = renderPlan(plan);
  assert.equal(
    text,
    [
      'Spaceport will perform the following actions:',
      '',
      '  # apps.old has moved to apps.new',
      ' -> apps.new',
      '',
      '  # gateway.services.s.routes.r will be created',
      '  + gateway.services.s.routes.r',
      '      + paths: ["/a"]',
      '      + strip_path: true',
      '',
      '  # apps.a.formation.web will be updated in place (changed outside Spaceport)',
      '  ~ apps.a.formation.web',
      '      ~ count: 3 → 2',
      '',
      '  # apps.a.config will be updated in place',
      '  ~ apps.a.config',
      `      ~ vars.DB_PASSWORD: ${MASK} (changed)`,
      '      ~ vars.MODE: "a" → "b"',
      `      + vars.STRIPE_API_KEY: "${MASK}"`,
      '',
      '  # addons.db must be replaced (type changed)',
      '-/+ addons.db',
      '      ~ type: "kafka" → "postgres"',
      '',
      '  # gateway.consumers.c will be destroyed (created outside Spaceport)',
      '  - gateway.consumers.c',
      `      - keys: "${MASK}"`,
      '',
      'Plan: 2 to add, 2 to change, 2 to destroy, 1 to move.',
      '',
    ].join('\n'),
  );
  assert.ok(!text.includes('hunter2') && !text.includes('swordfish') && !text.includes('sk_live_1') && !text.includes('secret-key-1'));
});

test('no changes: one line, and the summary counts zero', () => {
  const text = renderPlan({ changes: [plan.changes[6]!], refusals: [], warnings: [] });
  assert.match(text, /^No changes\./);
  assert.match(text, /Plan: 0 to add, 0 to change, 0 to destroy, 0 to move\.\n$/);
  assert.deepEqual(planJson({ changes: [plan.changes[6]!], refusals: [], warnings: [] }), { changes: [] });
});

test('json: address, action, before, after, drift; secrets masked; noops left out', () => {
  const j = planJson(plan);
  assert.equal(j.changes.length, 6);
  assert.deepEqual(j.changes[2], { address: 'apps.a.formation.web', action: 'update', before: { count: 3 }, after: { count: 2 }, drift: true });
  assert.deepEqual(j.changes[0], { address: 'apps.new', action: 'move', before: null, after: null, drift: false, from: 'apps.old' });
  const s = JSON.stringify(j);
  assert.ok(!s.includes('hunter2') && !s.includes('sk_live_1') && !s.includes('secret-key-1'));
  assert.ok(s.includes('"MODE":"b"'));
});

test('secret names and URL passwords', () => {
  for (const k of ['DB_PASSWORD', 'JWT_SECRET', 'GITHUB_TOKEN', 'STRIPE_KEY', 'INTERNAL_API_KEY', 'password', 'keys', 'AWS_SECRET_ACCESS_KEY', 'PASSWD']) {
    assert.equal(looksSecret(k), true, k);
  }
  for (const k of ['MODE', 'PORT', 'paths', 'KEYBOARD_LAYOUT', 'hosts', 'count']) assert.equal(looksSecret(k), false, k);
  assert.equal(maskUrl('postgres://app:s3cret@127.0.0.1:5432/db'), 'postgres://app:***@127.0.0.1:5432/db');
  assert.equal(maskUrl('http://127.0.0.1:80/x'), 'http://127.0.0.1:80/x');
});

test('summary line counts a replace as one add and one destroy', () => {
  assert.equal(summaryLine([plan.changes[4]!]), 'Plan: 1 to add, 0 to change, 1 to destroy, 0 to move.');
});

test('a map emptied shows its removed members only', () => {
  const text = renderPlan({ refusals: [], warnings: [], changes: [ch({ action: 'update', address: 'apps.a.config', before: { vars: { MODE: 'x' } }, after: { vars: {} } })] });
  assert.match(text, /~ apps\.a\.config\n {6}- vars\.MODE: "x"\n\n/);
  assert.doesNotMatch(text, /\+ vars/);
});

test('durations show as the file writes them (60s), not as the milliseconds the providers hold', () => {
  const change = ch({ address: 'apps.web', action: 'update', before: { boot_timeout: 60_000, stop_timeout: 30_000, health: { interval: 5000 } }, after: { boot_timeout: 1500, stop_timeout: 7_200_000, health: { interval: 5000 } } });
  const out = renderPlan({ refusals: [], warnings: [], changes: [change] });
  assert.match(out, /~ boot_timeout: 60s → 1500ms\n/);
  assert.match(out, /~ stop_timeout: 30s → 2h\n/);
  const json = planJson({ refusals: [], warnings: [], changes: [change] });
  assert.equal((json.changes[0]!.after as { boot_timeout: number }).boot_timeout, 1500, '--json keeps the numbers');
});
