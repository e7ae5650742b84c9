import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

test('headers: remove, rename, replace, add, append in Kong order', () => {
  const ctx = testContext({ headers: { 'x-drop': '1', 'x-old': 'v', 'x-rep': 'a', 'x-keep': 'k', 'x-app': 'one' } });
  const p = create(
    schema.parse({
      remove: { headers: ['x-drop'] },
      rename: { headers: ['x-old:x-new'] },
      replace: { headers: ['x-rep:b', 'x-absent:z'] },
      add: { headers: ['x-keep:ignored', 'x-added:yes'] },
      append: { headers: ['x-app:two'] },
    }),
    testEnv(),
  );
  p.access!(ctx);
  const h = Object.fromEntries(ctx.reqHeaders);
  assert.equal(h['x-drop'], undefined);
  assert.equal(h['x-old'], undefined);
  assert.equal(h['x-new'], 'v');
  assert.equal(h['x-rep'], 'b');
  assert.equal(h['x-absent'], undefined, 'replace only touches present names');
  assert.equal(h['x-keep'], 'k', 'add never overwrites');
  assert.equal(h['x-added'], 'yes');
  assert.equal(h['x-app'], 'one, two');
});

test('query string operations', () => {
  const ctx = testContext({ query: 'a=1&secret=x&b=2' });
  create(schema.parse({ remove: { querystring: ['secret'] }, rename: { querystring: ['a:alpha'] }, add: { querystring: ['c:3'] } }), testEnv()).access!(ctx);
  assert.equal(ctx.request.rawQuery, 'b=2&alpha=1&c=3');
});

test('schema checks the name:value notation', () => {
  const r = schema.safeParse({ add: { headers: ['novalue'] } });
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r.error?.issues), /name:value/);
});
