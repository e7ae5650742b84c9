import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

test('int64 writes safe integers as Kafka int64 (two 32-bit halves, the same bytes as a BigInt write)', () => {
  const values = [0, 1, -1, 255, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32) - 1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  const w = new Writer(8);
  for (const v of values) w.int64(v);
  const buf = Buffer.concat(w.finish());
  assert.equal(buf.length, values.length * 8);
  const expected = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => expected.writeBigInt64BE(BigInt(v), i * 8));
  assert.deepEqual(buf, expected);
  const r = new Reader(buf);
  assert.deepEqual(
    values.map(() => r.int64()),
    values,
  );
});
