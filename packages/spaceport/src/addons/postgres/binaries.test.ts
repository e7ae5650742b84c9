import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { clientToolVersions, findClientTool, serverBinaries } from './binaries.js';

test('the embedded server binaries are found, with their version', async () => {
  const b = await serverBinaries();
  assert.ok(existsSync(b.postgres) && existsSync(b.initdb));
  assert.match(b.version, /^\d+\.\d+$/);
  assert.equal(b.major, Number.parseInt(b.version, 10));
});

test('client tools: the newest found, and none when every one is older than the server needs', (t) => {
  const dirs = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  if (dirs.length === 0) {
    t.skip('no PostgreSQL client installed');
    return;
  }
  const any = findClientTool('pg_dump');
  assert.ok(any, 'a pg_dump is found');
  assert.ok(findClientTool('pg_dump', any.major), 'its own major qualifies');
  assert.equal(findClientTool('pg_dump', any.major + 1), undefined, 'an older pg_dump is never picked for a newer server');
  assert.ok(clientToolVersions('pg_dump').some((v) => v.includes(`(${any.version})`)));
  assert.equal(findClientTool('no-such-tool-xyz'), undefined);
});
