import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProduceBatcher, type OutMessage } from './batcher.js';

const msg = (key: string): OutMessage => ({ topic: 't', key, value: '{}', timestamp: '0' });

test('concurrent produces share one send, and each resolves after it', async () => {
  const sends: number[] = [];
  const b = new ProduceBatcher(async (m) => {
    sends.push(m.length);
  });
  await Promise.all([b.produce([msg('a')]), b.produce([msg('b'), msg('c')]), b.produce([msg('d')])]);
  assert.deepEqual(sends, [4]);
  assert.equal(b.pending, 0);
});

test('a failed send rejects exactly the produces that travelled in it', async () => {
  let n = 0;
  const b = new ProduceBatcher(async () => {
    if (n++ === 0) throw new Error('broker down');
  });
  const first = Promise.allSettled([b.produce([msg('a')]), b.produce([msg('b')])]);
  const results = await first;
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await b.produce([msg('c')]);
});

test('a full batch is flushed at once', async () => {
  const sends: number[] = [];
  const b = new ProduceBatcher(async (m) => {
    sends.push(m.length);
  }, 3);
  await Promise.all([b.produce([msg('a'), msg('b'), msg('c')]), b.produce([msg('d')])]);
  assert.deepEqual(sends, [3, 1]);
});
