import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';

const contextAfter = (config: Record<string, unknown>, headers: Record<string, string>) => {
  const ctx = testContext({ method: 'POST', headers });
  create(schema.parse(config), testEnv()).access!(ctx);
  return ctx;
};
const run = (config: Record<string, unknown>, headers: Record<string, string>) => contextAfter(config, headers).exited;

test('413 over the limit, through at the limit', () => {
  assert.equal(run({ allowed_payload_size: 10, size_unit: 'bytes' }, { 'content-length': '11' })?.status, 413);
  assert.deepEqual(run({ allowed_payload_size: 10, size_unit: 'bytes' }, { 'content-length': '11' })?.body, { message: 'Request size limit exceeded' });
  assert.equal(run({ allowed_payload_size: 10, size_unit: 'bytes' }, { 'content-length': '10' }), undefined);
  assert.equal(run({ allowed_payload_size: 1, size_unit: 'kilobytes' }, { 'content-length': '1025' })?.status, 413);
});

test('require_content_length refuses chunked bodies with 411', () => {
  assert.equal(run({ require_content_length: true }, { 'transfer-encoding': 'chunked' })?.status, 411);
  assert.equal(run({}, { 'transfer-encoding': 'chunked' }), undefined);
});

test('a chunked body is let through with a streaming limit in bytes (the proxy counts it)', () => {
  const ctx = contextAfter({ allowed_payload_size: 2, size_unit: 'kilobytes' }, { 'transfer-encoding': 'chunked' });
  assert.equal(ctx.exited, undefined);
  assert.equal(ctx.bodyLimit, 2048);
  assert.equal(contextAfter({ allowed_payload_size: 2, size_unit: 'kilobytes' }, {}).bodyLimit, undefined, 'no body, no limit');
});
