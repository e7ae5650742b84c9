#!/usr/bin/env node
// The CLI runs compiled JS (no TS loader on the hot path): `npm ci` builds dist/ through `prepare`.
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    console.error('spaceport: not built yet. Run `npm run build` at the repository root (npm ci does it for you).');
    process.exit(1);
  }
  throw err;
});
