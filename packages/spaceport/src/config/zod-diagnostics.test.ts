import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpace } from './load.js';
import { formatDiagnostic } from './diagnostics.js';

async function diagnose(t: import('node:test').TestContext, yaml: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-zdiag-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'spaceport.yaml'), yaml);
  for (const app of ['web', 'a']) mkdirSync(join(dir, app)); // the roots these files name
  const { diagnostics } = await loadSpace(join(dir, 'spaceport.yaml'), {});
  return diagnostics.map((d) => formatDiagnostic({ ...d, file: 'f' }));
}

test('wrong types are named in YAML words with what the file holds, not as zod types ("Invalid input", "record")', async (t) => {
  const got = await diagnose(
    t,
    [
      'name: x', //                                      1
      'apps:', //                                        2
      '  web:', //                                       3
      '    processes: [web]', //                         4
      '    scale: { web: two }', //                      5
      '    internal: "yes"', //                          6
      '    env: { A: [1], B: ~, C: 1, D: true }', //     7
    ].join('\n'),
  );
  assert.deepEqual(got, [
    'f:4:16: error: apps.web.processes: expected a mapping (key: value), got a list',
    'f:5:19: error: apps.web.scale.web: expected a number, got the string "two"',
    'f:6:15: error: apps.web.internal: expected true/false, got the string "yes"',
    'f:7:15: error: apps.web.env.A: expected a string, a number or true/false, got a list',
    'f:7:23: error: apps.web.env.B: expected a string, a number or true/false, got nothing (null)',
  ]);
  assert.deepEqual(await diagnose(t, 'name: x\napps:\n  - web\n'), ['f:3:3: error: apps: expected a mapping (key: value), got a list']);
});

test('a plugin field: a misspelt one gets a did-you-mean, a wrong type says what it should be', async (t) => {
  const got = await diagnose(
    t,
    [
      'name: x',
      'apps:',
      '  web: { processes: { web: node s.js } }',
      'gateway:',
      '  plugins:',
      '    key-auth: { key_nmes: [apikey] }',
      '    rate-limiting: { minute: lots }',
    ].join('\n'),
  );
  assert.ok(got.some((d) => /key-auth: unknown field "key_nmes" for plugin key-auth\n {4}did you mean "key_names"\?/.test(d)), got.join('\n'));
  assert.ok(got.some((d) => /rate-limiting\.minute: plugin rate-limiting: expected a number, got the string "lots"$/.test(d)), got.join('\n'));
});

test('an empty file (or one with only comments) says so once', async (t) => {
  for (const text of ['', '# nothing yet\n']) {
    const got = await diagnose(t, text);
    assert.equal(got.length, 1, got.join('\n'));
    assert.match(got[0]!, /^f:1:1: error: the file is empty: a space needs a name and its apps\n {4}start with\n/);
  }
});

test('an add-on type: the value the file holds, and a did-you-mean', async (t) => {
  const got = await diagnose(t, 'name: x\napps: {}\naddons:\n  db: { type: postgress }\n  ev: { url: x }\n');
  assert.deepEqual(got, [
    'f:4:15: error: addons.db.type: unknown add-on type "postgress"\n    did you mean "postgres"? (type is one of: postgres, kafka)',
    'f:5:7: error: addons.ev.type: required\n    type is one of: postgres, kafka',
  ]);
});

test('a config var the platform or an attached add-on sets after the config vars is an error (it would silently not apply)', async (t) => {
  const got = await diagnose(
    t,
    ['name: x', 'apps:', '  a:', '    processes: { web: node s.js }', '    env: { PORT: 3000, OK: 1, DATABASE_URL: x }', '    addons: [db]', 'addons:', '  db: { type: postgres }'].join('\n'),
  );
  assert.deepEqual(got, [
    'f:5:12: error: apps.a.env: PORT is set by the platform (the port each dyno must bind); a config var cannot override it\n    remove PORT from env',
    'f:5:31: error: apps.a.env: DATABASE_URL is set by the add-on db attached to a; a config var cannot override it\n    remove DATABASE_URL from env',
  ]);
});

test('an app whose process types are all other than web (nothing would run) gets a warning; with scale: none', async (t) => {
  const got = await diagnose(t, 'name: x\napps:\n  web:\n    processes: { server: node s.js }\n  a:\n    processes: { api: node a.js }\n    scale: { api: 1 }\n');
  assert.deepEqual(got, [
    "f:4:16: warning: apps.web.processes: no process type of web runs: only web gets a dyno by default (and a route through the gateway), and web has server\n    call the process that serves HTTP on $PORT web, or set scale: { server: 1 }",
  ]);
});

test('a name that is a key (an app, a topic) says what a name may be, not "Invalid key in record"', async (t) => {
  const got = await diagnose(t, 'name: x\napps:\n  My_App: { processes: { web: node x.js } }\naddons:\n  ev: { type: kafka, topics: { "bad name": {} } }\n');
  assert.deepEqual(got, [
    `f:3:3: error: apps.My_App: "My_App" is not a valid name: App names are lower-case letters, digits and '-', starting with a letter`,
    'f:5:32: error: addons.ev.topics.bad name: "bad name" is not a valid name: topic names are letters, digits, ., _ and -',
  ]);
});

test('a number out of range says the bound and the value, not "Too small: expected number to be >=1"', async (t) => {
  const got = await diagnose(t, 'name: x\napps:\n  a: { processes: { web: node x.js }, scale: { web: 500 } }\naddons:\n  ev: { type: kafka, topics: { t: { partitions: 0 } } }\ngateway:\n  plugins:\n    request-size-limiting: { allowed_payload_size: -1 }\n');
  assert.deepEqual(got, [
    'f:3:53: error: apps.a.scale.web: must be at most 100, got the number 500',
    'f:5:49: error: addons.ev.topics.t.partitions: must be at least 1, got the number 0',
    'f:8:52: error: gateway.plugins.request-size-limiting.allowed_payload_size: plugin request-size-limiting: must be above 0, got the number -1',
  ]);
});

test('a key-auth key or basic-auth username given to two consumers is an error (the gateway picked one of them)', async (t) => {
  const got = await diagnose(t, 'name: x\ngateway:\n  consumers:\n    bob: { keys: [same-key-0001], basic: [{ username: b, password: p }] }\n    ann: { keys: [ann-key-00001, same-key-0001], basic: [{ username: b, password: q }] }\n');
  assert.deepEqual(got, [
    'f:5:34: error: gateway.consumers.ann.keys[1]: consumer bob has this key too: a key identifies one consumer\n    give each consumer its own keys',
    'f:5:70: error: gateway.consumers.ann.basic[0].username: basic-auth username "b" is consumer bob\'s too: a username identifies one consumer\n    give each credential its own username',
  ]);
});
