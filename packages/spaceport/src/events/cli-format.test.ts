import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGroups } from './cli-format.js';

test('groups: replicas of one app (same client id and host) are told apart, rows in partition order', () => {
  const member = (id: string, parts: number[]) => ({ memberId: `shop-worker-${id}`, clientId: 'shop-worker', clientHost: '/127.0.0.1', assignment: { orders: parts } });
  const text = formatGroups('ev', [
    {
      group: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner', generation: 2,
      members: [member('aaaa-11111111', [0, 2]), member('bbbb-22222222', [1])],
      offsets: [
        { topic: 'orders', partition: 0, committed: null, logEndOffset: 7, lag: null },
        { topic: 'orders', partition: 2, committed: 5, logEndOffset: 9, lag: 4 },
      ],
    },
  ]);
  // As kafka-consumer-groups.sh: an assigned partition with no commit shows its end; COMMITTED and LAG are "-".
  // Partition 1 is assigned but missing from the view (a broker before this change): all "-".
  assert.deepEqual(text.split('\n').slice(2), [
    'TOPIC   PARTITION  COMMITTED  END  LAG  MEMBER',
    'orders  0          -          7    -    shop-worker@/127.0.0.1 (11111111)',
    'orders  1          -          -    -    shop-worker@/127.0.0.1 (22222222)',
    'orders  2          5          9    4    shop-worker@/127.0.0.1 (11111111)',
  ]);
});
