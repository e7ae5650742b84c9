/** A web dyno that listens beyond loopback (the usual `listen(PORT)`) gets a warning saying what to write instead. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSpace, until } from './runtime-support.js';

const server = (host: string) => `import { createServer } from 'node:http';
createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT)${host ? `, '${host}'` : ''});`;

test('a dyno on every interface is warned about; one on 127.0.0.1 is not', async (t) => {
  const yaml = `name: scope\napps:\n  open:\n    processes: { web: node web.mjs }\n  v4all:\n    processes: { web: node web.mjs }\n  closed:\n    processes: { web: node web.mjs }\n`;
  const space = makeSpace(t, yaml, { open: { 'web.mjs': server('') }, v4all: { 'web.mjs': server('0.0.0.0') }, closed: { 'web.mjs': server('127.0.0.1') } });
  const up = await space.cli(['up', '-d'], { timeoutMs: 60_000 });
  assert.equal(up.code, 0, up.stderr);
  const log = () => readFileSync(join(space.dir, '.spaceport', 'logs', 'space.log'), 'utf8');
  const warned = (app: string) => new RegExp(`spaceport\\[${app}\\.web\\.1\\]: Warning: web\\.1 listens on .*not on loopback only: other machines can reach it without the gateway; listen on 127\\.0\\.0\\.1 instead`);
  await until(() => warned('open').test(log()) && warned('v4all').test(log()), 10_000, 'the warnings');
  assert.match(log(), /spaceport\[open\.web\.1\]: Warning: web\.1 listens on \[::\]:\d+/);
  assert.match(log(), /spaceport\[v4all\.web\.1\]: Warning: web\.1 listens on 0\.0\.0\.0:\d+/);
  assert.doesNotMatch(log(), warned('closed'));
});
