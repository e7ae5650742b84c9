import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpace } from '../config/load.js';
import { entitiesFromSpace } from './from-space.js';

async function load(service: string) {
  const dir = mkdtempSync(join(tmpdir(), 'spaceport-gw-'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'spaceport.yaml'), `name: t\napps:\n  api:\n    processes:\n      web: node server.js\ngateway:\n  services:\n    api:\n      app: api\n${service}      routes:\n        all:\n          paths: [/]\n`);
  try {
    return await loadSpace(join(dir, 'spaceport.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('max_conns and queue_timeout reach the service entity; without max_conns there is no cap', async () => {
  const r = await load('      max_conns: 64\n      queue_timeout: 2s\n');
  assert.deepEqual(r.diagnostics, []);
  const svc = entitiesFromSpace(r.space!).services.find((s) => s.name === 'api')!;
  assert.equal(svc.max_conns, 64);
  assert.equal(svc.queue_timeout, 2000);
  const plain = await load('');
  const off = entitiesFromSpace(plain.space!).services.find((s) => s.name === 'api')!;
  assert.equal(off.max_conns, undefined);
  assert.equal(off.queue_timeout, undefined);
});

test('a bad max_conns or queue_timeout is a diagnostic that says what to write', async () => {
  for (const [yaml, want] of [
    ['      max_conns: 0\n', /gateway\.services\.api\.max_conns.*at least 1 \(leave it out for no cap\)/],
    ['      max_conns: 2.5\n', /gateway\.services\.api\.max_conns: .*whole number/],
    ['      max_conns: lots\n', /gateway\.services\.api\.max_conns: .*number/],
    ['      max_conns: 8\n      queue_timeout: soon\n', /"soon" is not a duration/],
  ] as const) {
    const r = await load(yaml);
    assert.ok(
      r.diagnostics.some((d) => want.test(`${d.path}: ${d.message}`)),
      `${yaml.trim()}: ${r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    );
  }
});
