import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliHints, upSummary } from './up-summary.js';
import { loadSpace } from '../config/load.js';

test("up's closing hints work where the user typed the command (npm start from the repo root, a global install, the space's own dir)", (t) => {
  const repo = mkdtempSync(join(tmpdir(), 'sp-hints-'));
  t.after(() => rmSync(repo, { recursive: true, force: true }));
  const space = join(repo, 'examples', 'edm');
  mkdirSync(space, { recursive: true });
  const file = join(space, 'spaceport.yaml');
  writeFileSync(file, 'name: edm\n');
  const npmBin = join(repo, 'node_modules', '.bin');
  const globalBin = join(repo, 'global-bin');
  for (const d of [npmBin, globalBin]) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'spaceport'), '#!/bin/sh\n');
    chmodSync(join(d, 'spaceport'), 0o755);
  }
  // `npm start` at the root: npm puts node_modules/.bin on PATH and runs from the root; the user's shell has neither
  assert.deepEqual(cliHints(file, { PATH: `${npmBin}:/usr/bin`, INIT_CWD: repo }, repo), [
    'npx spaceport logs -t · npx spaceport ps · npx spaceport down',
    '(run them in examples/edm, or add -f examples/edm/spaceport.yaml)',
  ]);
  // npm run from inside the space's directory: the walk up finds the file
  assert.deepEqual(cliHints(file, { PATH: `${npmBin}:/usr/bin`, INIT_CWD: join(space) }, repo), ['npx spaceport logs -t · npx spaceport ps · npx spaceport down']);
  // a global install, run in the space
  assert.deepEqual(cliHints(file, { PATH: `/usr/bin:${globalBin}` }, space), ['spaceport logs -t · spaceport ps · spaceport down']);
  // `spaceport up -f ../edm/spaceport.yaml` from a sibling directory
  const sibling = join(repo, 'examples', 'other');
  mkdirSync(sibling);
  assert.deepEqual(cliHints(file, { PATH: globalBin }, sibling)[1], '(run them in ../edm, or add -f ../edm/spaceport.yaml)');
  // neither on PATH nor installed above the user's directory: npx would fetch another package, so no npx
  const outside = mkdtempSync(join(tmpdir(), 'sp-hints-out-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  assert.deepEqual(cliHints(file, { PATH: '/usr/bin' }, outside)[0], 'spaceport logs -t · spaceport ps · spaceport down');
});

test("without outputs, the box lists the file's routes a browser can open (wasabi's /wasabi), not POST-only or host routes", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sp-box-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'api'));
  writeFileSync(
    join(dir, 'spaceport.yaml'),
    [
      'name: w',
      'apps:',
      '  api: { processes: { web: node s.js }, internal: true }',
      'gateway:',
      '  services:',
      '    wasabi:',
      '      app: api',
      '      expose_internal: true',
      '      routes:',
      '        api: { paths: [/wasabi] }',
      '    events:',
      '      app: api',
      '      expose_internal: true',
      '      routes:',
      '        post: { paths: [/events], methods: [POST] }',
      '        host: { paths: [/x], hosts: [shop.test] }',
      '        page: { paths: [/page], methods: [GET, HEAD] }',
    ].join('\n'),
  );
  const { space, diagnostics } = await loadSpace(join(dir, 'spaceport.yaml'), {});
  assert.ok(space, diagnostics.map((d) => d.message).join('; '));
  const { text } = upSummary(space, { services: { gateway: { listen: 'http://127.0.0.1:8100' } } }, false);
  assert.match(text, /│ {2}gateway {6}http:\/\/127\.0\.0\.1:8100 +│/);
  assert.match(text, /│ {2}wasabi {7}http:\/\/127\.0\.0\.1:8100\/wasabi +│/);
  assert.match(text, /│ {2}events\.page  http:\/\/127\.0\.0\.1:8100\/page +│/);
  assert.doesNotMatch(text, /\/events|\/x /);
});
