import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotedOutput } from './last-output.js';

test("a Node stack trace is quoted by its error line, not by its last frames and 'Node.js v20'", () => {
  const trace = [
    'node:internal/modules/esm/resolve:854',
    '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
    '        ^',
    '',
    "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@spaceport/internal-auth' imported from /s/dist/server.js",
    '    at packageResolve (node:internal/modules/esm/resolve:854:9)',
    '    at moduleResolve (node:internal/modules/esm/resolve:927:18)',
    '    at ModuleJob._link (node:internal/modules/esm/module_job:168:49) {',
    "  code: 'ERR_MODULE_NOT_FOUND'",
    '}',
    '',
    'Node.js v20.20.2',
  ];
  assert.deepEqual(quotedOutput(trace), [
    "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@spaceport/internal-auth' imported from /s/dist/server.js",
    '...',
    'Node.js v20.20.2',
  ]);
});

test('otherwise the last 5 non-blank lines (a shell error, an error among them)', () => {
  assert.deepEqual(quotedOutput(['', '> tsc -p .', '', 'sh: 1: tsc: not found']), ['> tsc -p .', 'sh: 1: tsc: not found']);
  const lines = ['a', 'b', 'c', 'd', 'e', 'f', 'Error: STRIPE_KEY is not set'];
  assert.deepEqual(quotedOutput(lines), ['c', 'd', 'e', 'f', 'Error: STRIPE_KEY is not set']);
  assert.deepEqual(quotedOutput([]), []);
});
