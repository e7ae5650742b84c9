import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURES, makeSpace } from './runtime-support.js';

// `spaceport logs -d wbe` (a typo) printed nothing and exited 0, as if the dyno had been quiet.
test('logs -d matching no line says so on stderr (the filter takes web.1 or web); a matching one prints the lines alone', async (t) => {
  const space = makeSpace(t, `name: logf\napps:\n  web:\n    processes: { web: node web.mjs }\n`, { web: { 'web.mjs': FIXTURES['web.mjs']! } });
  assert.equal((await space.cli(['up', '-d'])).code, 0);
  const typo = await space.cli(['logs', '-d', 'wbe']);
  assert.equal(typo.code, 0);
  assert.equal(typo.stdout, '');
  assert.match(typo.stderr, /^No log lines of dyno wbe: -d takes a dyno \(web\.1\) or a process type \(web\), as `spaceport ps` lists them\.$/m);
  const ok = await space.cli(['logs', '-d', 'web.1']);
  assert.match(ok.stdout, /spaceport\[web\.web\.1\]: State changed from starting to up/);
  assert.equal(ok.stderr, '');
  assert.equal((await space.cli(['down'])).code, 0);
  const down = await space.cli(['logs', '-d', 'web.9']); // the stopped space's log file
  assert.match(down.stderr, /The space is not running; the last lines of .*space\.log:\nNo log lines of dyno web\.9: /);
});
