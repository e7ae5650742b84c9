import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProduceBatcher, type OutMessage } from './batcher.js';

const msg = (key: string): OutMessage => ({ topic: 't', key, value: '{}', timestamp: '0' });
const tick = () => new Promise((r) => setImmediate(r));

test('concurrent produces share one send, and each resolves after it', async () => {
  const sends: number[] = [];
  const b = new ProduceBatcher(async (m) => {
    sends.push(m.length);
  });
  await Promise.all([b.produce([msg('a')]), b.produce([msg('b'), msg('c')]), b.produce([msg('d')])]);
  assert.deepEqual(sends, [4]);
  assert.equal(b.pending, 0);
});

test('while sends await their ack, new events queue and go out together in the next send', async () => {
  const sends: number[] = [];
  const acks: (() => void)[] = [];
  const b = new ProduceBatcher((m) => {
    sends.push(m.length);
    return new Promise<void>((r) => acks.push(r));
  }, 5000, 1);
  const first = b.produce([msg('a')]);
  await tick();
  const later = Array.from({ length: 10 }, (_, i) => b.produce([msg(String(i))]));
  await tick();
  assert.deepEqual(sends, [1], 'one send in flight at most');
  acks.shift()!();
  await first;
  await tick();
  assert.deepEqual(sends, [1, 10], 'the ten waiting events went out in one send');
  acks.shift()!();
  await Promise.all(later);
});

test('a failed send rejects exactly the produces that travelled in it', async () => {
  let n = 0;
  const b = new ProduceBatcher(async () => {
    if (n++ === 0) throw new Error('broker down');
  });
  const results = await Promise.allSettled([b.produce([msg('a')]), b.produce([msg('b')])]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await b.produce([msg('c')]);
});

test('a batch holds whole requests up to maxBatch messages', async () => {
  const sends: number[] = [];
  const b = new ProduceBatcher(async (m) => {
    sends.push(m.length);
  }, 3, 1);
  await Promise.all([b.produce([msg('a'), msg('b')]), b.produce([msg('c'), msg('d')]), b.produce([msg('e')])]);
  assert.deepEqual(sends, [2, 3]);
});
