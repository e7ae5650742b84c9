/** plan shows "Changes to Outputs" as terraform plan does, and counts them for --detailed-exitcode; apply records them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace } from './runtime-support.js';

test('an edited outputs: block is a change of the plan; apply records it and says so', async (t) => {
  const yaml = (outputs: string) => `name: outs\napps:\n  shop:\n    processes: { web: node app.mjs }\ngateway:\n  listen: 0\n  workers: 1\noutputs:\n${outputs}`;
  const space = makeSpace(t, yaml('  shop: ${apps.shop.url}\n  old: ${gateway.url}\n'), { shop: { 'app.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'], { timeoutMs: 60_000 })).code, 0);
  assert.equal((await space.cli(['plan', '--detailed-exitcode'])).code, 0, 'up recorded the outputs');
  const gw = (await space.cli(['output', 'old'])).stdout.trim();
  const port = new URL(gw).port;

  writeFileSync(join(space.dir, 'spaceport.yaml'), yaml('  shop: ${apps.shop.url}/catalog\n  admin: { value: "${gateway.admin_url}", sensitive: true }\n'));
  const plan = await space.cli(['plan', '--detailed-exitcode']);
  assert.equal(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, /Plan: 0 to add, 0 to change, 0 to destroy, 0 to move\.\n\nChanges to Outputs:\n/);
  assert.match(plan.stdout, new RegExp(`  ~ shop  = "http://shop\\.localhost:${port}" -> "http://shop\\.localhost:${port}/catalog"\n`));
  assert.match(plan.stdout, /  \+ admin = \(sensitive value\)\n/);
  assert.match(plan.stdout, new RegExp(`  - old   = "http://127\\.0\\.0\\.1:${port}" -> null\n`));
  assert.match(plan.stdout, /Apply records these output values in the state, without changing anything that runs\./);
  const json = JSON.parse((await space.cli(['plan', '--json'])).stdout) as { output_changes: { name: string; after: string }[] };
  assert.deepEqual(json.output_changes.map((c) => [c.name, c.after]), [['shop', `http://shop.localhost:${port}/catalog`], ['admin', '(sensitive)'], ['old', null]]);

  const apply = await space.cli(['apply', '--auto-approve']);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /Changes to Outputs:[\s\S]*Output values recorded\./);
  // Then the outputs, as terraform apply ends.
  assert.match(apply.stdout, new RegExp(`\nOutputs:\n\nshop = "http://shop\\.localhost:${port}/catalog"\nadmin = \\(sensitive value\\)\n$`));
  assert.equal((await space.cli(['output', 'shop'])).stdout.trim(), `http://shop.localhost:${port}/catalog`);
  assert.equal((await space.cli(['plan', '--detailed-exitcode'])).code, 0);

  // An output of an app the same apply creates: known after apply, not a "cannot resolve" warning.
  writeFileSync(join(space.dir, 'spaceport.yaml'), yaml('  shop: ${apps.shop.url}/catalog\n  admin: { value: "${gateway.admin_url}", sensitive: true }\n  stats: ${apps.stats.internal_url}\n').replace('apps:\n', 'apps:\n  stats:\n    root: shop\n    internal: true\n    processes: { web: node app.mjs }\n'));
  const ahead = await space.cli(['plan']);
  assert.equal(ahead.code, 0, ahead.stderr);
  assert.match(ahead.stdout, /\+ apps\.stats\n[\s\S]*Changes to Outputs:\n  \+ stats = \(known after apply\)\n/);
  assert.doesNotMatch(ahead.stderr, /cannot resolve/);
  const created = await space.cli(['apply', '--auto-approve']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /\nstats = "http:\/\/127\.0\.0\.1:\d+"\n/);
  assert.doesNotMatch(created.stderr, /cannot resolve/);
});
