/** Saved plans (Terraform's plan -out / apply FILE): applied as reviewed without a question, refused once stale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace, ps } from './runtime-support.js';

test('apply PLANFILE does the saved plan without asking, and refuses it once the space changed', async (t) => {
  const space = makeSpace(t, `name: saved\napps:\n  w:\n    processes: { web: node web.mjs }\n`, { w: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  assert.equal((await space.cli(['scale', 'web=2'])).code, 0);

  const plan = await space.cli(['plan', '--out', 'scale.plan']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /~ count: 2 → 1/);
  assert.match(plan.stderr, /Saved the plan to scale\.plan\. To do exactly this: spaceport apply scale\.plan/);
  const file = join(space.dir, 'scale.plan');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /count/, 'digests only, no values');

  // No terminal and no --auto-approve: the saved plan is the approval.
  const applied = await space.cli(['apply', 'scale.plan']);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /Apply complete! Resources: 0 added, 1 changed/);
  assert.equal((await ps(space)).length, 1);
  const again = await space.cli(['apply', 'scale.plan']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /the saved plan scale\.plan is stale: .*\(apps\.w\.formation\.web\).*Nothing was applied; run `spaceport plan --out scale\.plan` again/);

  // Reviewed "3 → 1", but the space moved to 2 meanwhile: refused, nothing changes.
  await space.cli(['scale', 'web=3']);
  assert.equal((await space.cli(['plan', '--out', 'three.plan'])).code, 0);
  await space.cli(['scale', 'web=2']);
  const stale = await space.cli(['apply', 'three.plan']);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /is stale/);
  assert.doesNotMatch(stale.stdout, /Apply complete/);
  assert.equal((await ps(space)).length, 2);

  const missing = await space.cli(['apply', 'nope.plan']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the saved plan nope\.plan: no such file; make one with `spaceport plan --out nope\.plan`/);
  assert.equal(existsSync(join(space.dir, 'nope.plan')), false);

  // `apply spaceport.yaml` (the config taken for a plan) told to run `plan --out spaceport.yaml`, and that
  // overwrote the config with the plan's JSON. Now apply says how to apply a config, and --out refuses the config
  // and any other file that is not a saved plan; a saved plan is replaced, as Terraform's -out does.
  const config = readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8');
  const asPlan = await space.cli(['apply', 'spaceport.yaml']);
  assert.equal(asPlan.code, 1);
  assert.match(asPlan.stderr, /spaceport\.yaml is a config file, not a saved plan: `spaceport apply -f spaceport\.yaml` applies it/);
  assert.doesNotMatch(asPlan.stderr, /plan --out spaceport\.yaml/);
  const over = await space.cli(['plan', '--out', 'spaceport.yaml']);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /--out spaceport\.yaml is the space's config file: the plan would replace it\. Save the plan to another file, like --out tfplan/);
  writeFileSync(join(space.dir, 'notes.txt'), 'mine\n');
  const other = await space.cli(['plan', '--out', 'notes.txt']);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /--out notes\.txt: that file exists and is not a saved plan/);
  assert.equal(readFileSync(join(space.dir, 'spaceport.yaml'), 'utf8'), config);
  assert.equal(readFileSync(join(space.dir, 'notes.txt'), 'utf8'), 'mine\n');
  assert.equal((await space.cli(['plan', '--out', 'scale.plan'])).code, 0, 'a saved plan is replaced');
});
