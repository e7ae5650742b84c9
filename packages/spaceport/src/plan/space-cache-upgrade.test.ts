import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const src = resolve(fileURLToPath(import.meta.url), '..', '..');
const repo = resolve(src, '..', '..', '..');

/** Loads `file` through plan's loadConfig (the cached path) with the build under `build`, in a process of its own. */
async function load(build: string, file: string): Promise<string> {
  const session = pathToFileURL(join(build, 'src', 'plan', 'session.ts')).href;
  const script = `const { loadConfig } = await import(${JSON.stringify(session)});
try { console.log('loaded', (await loadConfig(${JSON.stringify(file)})).config.name); }
catch (err) { console.log('refused', err.message); }`;
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo });
  return stdout + stderr;
}

test('a cached config is validated again when an upgrade changes a cross-object check, not only schema.ts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-cache-upgrade-'));
  try {
    // A copy of this build, which the test can "upgrade" without touching the tree.
    const build = join(dir, 'build');
    cpSync(src, join(build, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
    cpSync(join(src, '..', 'package.json'), join(build, 'package.json'));
    symlinkSync(join(repo, 'node_modules'), join(build, 'node_modules'));
    const space = join(dir, 'space');
    const file = join(space, 'spaceport.yaml');
    mkdirSync(join(space, 'web'), { recursive: true });
    writeFileSync(join(space, 'web', 'Procfile'), 'web: node server.js\n');
    writeFileSync(file, 'name: upgraded\napps:\n  web: {}\n');

    assert.match(await load(build, file), /^loaded upgraded$/m);
    // The next load comes from the cache (proved by a mark only the cache holds) ...
    const cache = join(space, '.spaceport', 'config-cache.json');
    writeFileSync(cache, readFileSync(cache, 'utf8').replace('"name":"upgraded"', '"name":"from-cache"'));
    assert.match(await load(build, file), /^loaded from-cache$/m);

    // ... until the build gets a new cross-object rule: schema.ts is the same, the file is the same.
    const checks = join(build, 'src', 'config', 'cross-checks.ts');
    writeFileSync(
      checks,
      readFileSync(checks, 'utf8').replace('export async function crossChecks(', 'async function checksBefore(') +
        `\nexport async function crossChecks(...args: Parameters<typeof checksBefore>): ReturnType<typeof checksBefore> {
  const out = await checksBefore(...args);
  return [...out, { severity: 'error', file: '', line: 1, column: 1, path: 'name', message: 'a rule added by the upgrade' }];
}\n`,
    );
    const out = await load(build, file);
    assert.match(out, /name: a rule added by the upgrade/);
    assert.match(out, /^refused 1 error in /m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
