import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpaceOrThrow } from '../config/load.js';
import { cachedSpace, rememberSpace } from './space-cache.js';

test('a cached config is used only while the file, its env vars and its Procfiles are unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-cache-'));
  try {
    const file = join(dir, 'spaceport.yaml');
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'Procfile'), 'web: node a.js\n');
    const text = 'name: c\napps:\n  web:\n    env: { TOKEN: "${CACHE_TEST_TOKEN}" }\n';
    writeFileSync(file, text);
    process.env.CACHE_TEST_TOKEN = 'one';
    assert.equal(cachedSpace(file), undefined);
    const space = await loadSpaceOrThrow(file);
    rememberSpace(space, text);
    assert.equal(statSync(join(dir, '.spaceport', 'config-cache.json')).mode & 0o777, 0o600);
    assert.deepEqual(cachedSpace(file)?.config.apps.web?.processes, { web: 'node a.js' });
    assert.equal(cachedSpace(file)?.config.apps.web?.env.TOKEN, 'one');
    process.env.CACHE_TEST_TOKEN = 'two';
    assert.equal(cachedSpace(file), undefined, 'an interpolated variable changed');
    process.env.CACHE_TEST_TOKEN = 'one';
    assert.ok(cachedSpace(file));
    writeFileSync(join(dir, 'web', 'Procfile'), 'web: node b.js\n');
    assert.equal(cachedSpace(file), undefined, 'a Procfile changed');
    rememberSpace(await loadSpaceOrThrow(file), text);
    writeFileSync(file, text + '# edited\n');
    assert.equal(cachedSpace(file), undefined, 'the file changed');
  } finally {
    delete process.env.CACHE_TEST_TOKEN;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cached config is validated again when an app root or an include: folder is gone (validation checks both)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-cache-'));
  try {
    const file = join(dir, 'spaceport.yaml');
    mkdirSync(join(dir, 'web'));
    mkdirSync(join(dir, 'shared'));
    const text = 'name: c\napps:\n  web:\n    processes: { web: node a.js }\n    include: [../shared]\n  api:\n    processes: { web: node a.js }\n';
    mkdirSync(join(dir, 'api'));
    writeFileSync(file, text);
    const remember = async () => rememberSpace(await loadSpaceOrThrow(file), text);
    await remember();
    assert.ok(cachedSpace(file));
    rmSync(join(dir, 'shared'), { recursive: true });
    writeFileSync(join(dir, 'shared'), 'now a file\n');
    assert.equal(cachedSpace(file), undefined, 'the include: folder is a file now');
    rmSync(join(dir, 'shared'));
    mkdirSync(join(dir, 'shared'));
    await remember();
    rmSync(join(dir, 'api'), { recursive: true });
    assert.equal(cachedSpace(file), undefined, "an app's root is gone");
    await assert.rejects(loadSpaceOrThrow(file), /the app's directory api does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
