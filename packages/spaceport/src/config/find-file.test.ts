import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfigFile } from './find-file.js';

test('-f takes a file or a directory (its spaceport.yaml); without -f the nearest one walking up', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sp-find-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const space = join(root, 'examples', 'edm');
  mkdirSync(join(space, 'apps', 'ui'), { recursive: true });
  writeFileSync(join(space, 'spaceport.yaml'), 'name: edm\n');
  // `-f examples/edm` meant the space in it (was taken as the file examples/edm: "the space in examples is not running")
  assert.equal(findConfigFile('examples/edm', root), join(space, 'spaceport.yaml'));
  assert.equal(findConfigFile('examples/edm/spaceport.yaml', root), join(space, 'spaceport.yaml'));
  assert.equal(findConfigFile('other.yaml', root), join(root, 'other.yaml'), 'a file that does not exist yet is taken as given');
  assert.equal(findConfigFile(undefined, join(space, 'apps', 'ui')), join(space, 'spaceport.yaml'));
});
