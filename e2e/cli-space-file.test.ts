import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, makeSpace, ps } from './runtime-support.js';

// A second config file beside a space's spaceport.yaml used to act on that space: its state (.spaceport/) is the
// directory's. `ps -f staging.yaml` listed the other space's dynos and `plan -f staging.yaml` planned to destroy its apps.
test('-f FILE of another file in the directory of a space is refused, saying whose state it is; a renamed file takes it over', async (t) => {
  const space = makeSpace(t, `name: review\napps:\n  web:\n    processes: { web: node web.mjs }\n`, { web: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  assert.equal(readFileSync(join(space.dir, '.spaceport', 'space-file'), 'utf8'), 'spaceport.yaml\n');
  writeFileSync(join(space.dir, 'staging.yaml'), `name: staging\napps:\n  web:\n    processes: { web: node web.mjs }\ngateway:\n  listen: 0\n`);
  for (const args of [['ps'], ['plan'], ['down'], ['up', '-d']]) {
    const r = await space.cli([...args, '-f', 'staging.yaml']);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /staging\.yaml is not the space of \.spaceport: that state belongs to spaceport\.yaml in the same directory, and a directory holds one space's state\. Put staging\.yaml in a directory of its own .*or use -f spaceport\.yaml/);
    assert.doesNotMatch(r.stdout, /web\.1/);
  }
  assert.equal((await ps(space)).length, 1, 'the space itself is untouched and answers');
  assert.equal((await space.cli(['ps', '-f', 'spaceport.yaml'])).code, 0);
  // Renamed: the recorded file is gone, so the new name is the space's file.
  assert.equal((await space.cli(['down'])).code, 0);
  renameSync(join(space.dir, 'spaceport.yaml'), join(space.dir, 'review.yaml'));
  assert.equal((await space.cli(['up', '-d', '-f', 'review.yaml'])).code, 0);
  assert.equal(readFileSync(join(space.dir, '.spaceport', 'space-file'), 'utf8'), 'review.yaml\n');
  assert.equal((await space.cli(['down', '-f', 'review.yaml'])).code, 0);
});
