import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from './router.js';
import { listenControl } from './server.js';
import { ControlError } from './router-types.js';

function call(socketPath: string, method: string, path: string, body?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('control API: :params, JSON bodies, JSON errors, 0600 socket', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ctl-'));
  const router = new Router();
  router.add('GET', '/v1/apps/:app/things/:id', (req) => ({ params: req.params, q: req.query.get('x') }));
  router.add('POST', '/v1/echo', (req) => ({ got: req.body }));
  router.add('GET', '/v1/fail', () => {
    throw new ControlError(409, 'conflict', 'it conflicts');
  });
  const sock = join(dir, 'control.sock');
  const server = await listenControl(router, sock);
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal(statSync(sock).mode & 0o777, 0o600);
  assert.deepEqual(await call(sock, 'GET', '/v1/apps/my%20app/things/7?x=1'), { status: 200, json: { params: { app: 'my app', id: '7' }, q: '1' } });
  assert.deepEqual(await call(sock, 'POST', '/v1/echo', '{"a":1}'), { status: 200, json: { got: { a: 1 } } });
  assert.deepEqual(await call(sock, 'POST', '/v1/echo', '{oops'), { status: 400, json: { error: { code: 'bad_json', message: 'the request body is not valid JSON' } } });
  assert.deepEqual(await call(sock, 'GET', '/v1/fail'), { status: 409, json: { error: { code: 'conflict', message: 'it conflicts' } } });
  assert.equal((await call(sock, 'GET', '/v1/nope')).status, 404);
  assert.deepEqual(await call(sock, 'DELETE', '/v1/echo'), { status: 405, json: { error: { code: 'method_not_allowed', message: 'DELETE is not allowed on /v1/echo; use POST' } } });
  await assert.rejects(listenControl(router, join(dir, 'x'.repeat(120))), /is \d+ bytes, longer than the 107 a unix socket allows, and so is its path from the current directory/);
});
