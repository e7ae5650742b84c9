#!/usr/bin/env node
// Runs every *.test.ts under packages/, e2e/ and examples/ with node's test runner (Node 20 has no --test globs).
// Usage: node scripts/test.mjs [path-substring ...]  — only files whose path contains one of the substrings.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', '.git', '.spaceport']);
function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}
const filters = process.argv.slice(2);
const files = ['packages', 'e2e', 'examples']
  .flatMap((d) => walk(join(root, d), []))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// A hung test fails after 5 minutes (the whole suite takes about 4) instead of holding CI until its limit, and a
// test file whose tests are all done exits even if a handle it forgot keeps its event loop alive (once seen, under
// load, 13 minutes after both tests of a file had passed). Processes a test spawned are its own to kill.
const guards = ['--test-timeout=300000', '--test-force-exit'];
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...guards, ...files], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
