import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExternalKafka } from './external.js';

test('an external cluster reports external: true in status, its URL without credentials', () => {
  const svc = new ExternalKafka('ev', 'kafka://user:secret@broker-1.example.com:9092,broker-2.example.com:9092');
  assert.deepEqual(svc.status(), { type: 'kafka', embedded: false, external: true, state: 'external', url: 'kafka://***@broker-1.example.com:9092,broker-2.example.com:9092' });
});
