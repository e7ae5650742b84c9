import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpace } from './load.js';
import { formatDiagnostic } from './diagnostics.js';

function space(yaml: string, dirs: string[], files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-include-'));
  for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
  for (const [p, text] of Object.entries(files)) writeFileSync(join(dir, p), text);
  writeFileSync(join(dir, 'spaceport.yaml'), yaml);
  return join(dir, 'spaceport.yaml');
}

test('include: folders are resolved against the app root', async (t) => {
  const file = space('name: demo\napps:\n  api:\n    root: apps/api\n    include: [../shared]\n    processes: { web: node server.js }\n', ['apps/api', 'apps/shared']);
  const dir = join(file, '..');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { space: s, diagnostics } = await loadSpace(file);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(s!.config.apps.api!.include, [join(dir, 'apps', 'shared')]);
});

test('a wrong include is an error at its line and column, with what to write', async (t) => {
  const yaml = `name: demo
apps:
  api:
    root: apps/api
    processes: { web: node server.js }
    include:
      - ../missing
      - ../notes.txt
      - src
      - ..
      - ../shared
      - ../shared/
`;
  const file = space(yaml, ['apps/api/src', 'apps/shared'], { 'apps/notes.txt': 'x' });
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { space: s, diagnostics } = await loadSpace(file);
  assert.equal(s, undefined);
  const lines = diagnostics.map((d) => formatDiagnostic(d).replace(/^.*spaceport\.yaml:/, ''));
  assert.deepEqual(lines, [
    "7:9: error: apps.api.include.0: ../missing (apps/missing) does not exist\n    paths in include are relative to the app's root (apps/api): fix the path, or create the folder",
    '8:9: error: apps.api.include.1: ../notes.txt (apps/notes.txt) is a file, not a folder\n    include names folders: write the folder that holds it',
    "9:9: error: apps.api.include.2: src is inside the app's root, whose files are part of its source already\n    remove it from include",
    "10:9: error: apps.api.include.3: .. (apps) holds the app's root itself\n    include only the shared folder, like ../shared, not a parent of the app",
    '12:9: error: apps.api.include.5: ../shared/ is included twice\n    remove the repeated entry',
  ]);
});

test('include must be a list of folder paths', async (t) => {
  const file = space('name: demo\napps:\n  api:\n    include: ../shared\n    processes: { web: node server.js }\n', ['api']);
  t.after(() => rmSync(join(file, '..'), { recursive: true, force: true }));
  const { diagnostics } = await loadSpace(file);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.path, 'apps.api.include');
  assert.equal(diagnostics[0]!.line, 4);
});
