/**
 * The broker with unmodified kafkajs clients: admin create/delete topics, keyed produce on the partition the
 * default partitioner picks, and committed offsets that survive a broker restart (SIGKILL).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, Partitioners, type Consumer } from 'kafkajs';
import { eventually, startBroker, type RunningBroker } from './events-support.js';

let broker: RunningBroker;
const kafka = () => new Kafka({ brokers: [`127.0.0.1:${broker.port}`], clientId: 'events-test', logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
const consumers: Consumer[] = [];

before(async () => {
  broker = await startBroker();
});
after(async () => {
  await Promise.all(consumers.map((c) => c.disconnect().catch(() => {})));
  await broker?.kill();
});

test('admin creates, lists, describes and deletes topics', async () => {
  const admin = kafka().admin();
  await admin.connect();
  try {
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 4 }, { topic: 'audit' }] }), true);
    assert.deepEqual((await admin.listTopics()).sort(), ['audit', 'orders']);
    const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
    assert.equal(meta.topics[0]!.partitions.length, 4);
    // Creating an existing topic is refused with TOPIC_ALREADY_EXISTS (kafkajs reports false).
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] }), false);
    await assert.rejects(admin.createTopics({ topics: [{ topic: 'bad name!' }] }), /invalid|topic/i);
    await admin.deleteTopics({ topics: ['audit'] });
    assert.deepEqual(await admin.listTopics(), ['orders']);
    const listed = (await broker.admin('GET', '/v1/topics')).body as { topics: Array<{ name: string; partitions: unknown[] }> };
    assert.deepEqual(listed.topics.map((t) => [t.name, t.partitions.length]), [['orders', 4]]);
    // The admin endpoint grows a topic (never shrinks it) and wants its token.
    assert.equal((await broker.admin('PATCH', '/v1/topics/orders', { partitions: 6 })).status, 200);
    assert.equal((await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions.length, 6);
    await broker.admin('PATCH', '/v1/topics/orders', { retentionMs: 3_600_000, retentionBytes: null });
    const after = (await broker.admin('GET', '/v1/topics')).body as { topics: Array<{ name: string; retentionMs: number; retentionBytes: number | null; partitions: unknown[] }> };
    assert.deepEqual(after.topics.map((t) => [t.partitions.length, t.retentionMs, t.retentionBytes]), [[6, 3_600_000, null]]);
    const shrink = await broker.admin('PATCH', '/v1/topics/orders', { partitions: 2 });
    assert.equal(shrink.status, 409);
    assert.match((shrink.body as { error: { message: string } }).error.message, /can only grow/);
    const anonymous = await fetch(`http://127.0.0.1:${broker.adminPort}/v1/topics`);
    assert.equal(anonymous.status, 401);
  } finally {
    await admin.disconnect();
  }
});

test('keyed messages land on the partition the kafkajs default partitioner picks', async () => {
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 5 }] });
  await admin.disconnect();
  const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const keys = Array.from({ length: 60 }, (_, i) => `customer-${i}`);
  await producer.send({ topic: 'keyed', acks: -1, messages: keys.map((k) => ({ key: k, value: `value of ${k}` })) });
  await producer.disconnect();

  const pick = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 5 }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const expected = new Map(keys.map((k) => [k, pick({ topic: 'keyed', partitionMetadata, message: { key: k, value: null } })]));
  assert.ok(new Set(expected.values()).size > 1, 'keys spread over several partitions');

  const seen = new Map<string, number>();
  const consumer = kafka().consumer({ groupId: 'keyed-check', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 'keyed', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => void seen.set(message.key!.toString(), partition) });
  await eventually(() => seen.size === keys.length, 20_000, 'all keyed messages');
  for (const k of keys) assert.equal(seen.get(k), expected.get(k), `partition of ${k}`);
  await consumer.disconnect();
});

test('committed offsets survive a broker restart', async () => {
  const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: 'ledger', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `first-${i}` })) });

  const firstRun: string[] = [];
  let consumer = kafka().consumer({ groupId: 'ledger-readers', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 'ledger', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void firstRun.push(message.value!.toString()) });
  await eventually(() => firstRun.length === 20, 20_000, 'first 20 messages');
  await consumer.disconnect(); // commits the consumed offsets
  await producer.disconnect();

  const admin = kafka().admin();
  await admin.connect();
  const before = await admin.fetchOffsets({ groupId: 'ledger-readers', topics: ['ledger'] });
  assert.equal(before[0]!.partitions[0]!.offset, '20');
  await admin.disconnect();

  // Kill -9: the commit was acknowledged once written to the offsets log (the kernel's page cache, fsynced in the
  // background), which a SIGKILL of the broker does not lose.
  const { dataDir, port } = broker;
  await broker.kill();
  broker = await startBroker({ dataDir, port });

  const admin2 = kafka().admin();
  await admin2.connect();
  const after = await admin2.fetchOffsets({ groupId: 'ledger-readers', topics: ['ledger'] });
  assert.equal(after[0]!.partitions[0]!.offset, '20');
  // A partition nobody committed reads -1.
  const none = await admin2.fetchOffsets({ groupId: 'nobody', topics: ['ledger'] });
  assert.equal(none[0]!.partitions[0]!.offset, '-1');
  await admin2.disconnect();

  const producer2 = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer2.connect();
  await producer2.send({ topic: 'ledger', acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ value: `second-${i}` })) });
  await producer2.disconnect();
  const secondRun: string[] = [];
  consumer = kafka().consumer({ groupId: 'ledger-readers', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 'ledger', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void secondRun.push(message.value!.toString()) });
  await eventually(() => secondRun.length >= 5, 20_000, 'messages after the restart');
  await new Promise((r) => setTimeout(r, 300));
  // It resumes at the committed offset: nothing from the first run is read again.
  assert.deepEqual(secondRun, ['second-0', 'second-1', 'second-2', 'second-3', 'second-4']);
});

test('admin describes and lists groups and finds offsets by timestamp', async () => {
  const client = kafka();
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: 'timed', acks: -1, messages: [{ value: 'early' }] });
  await new Promise((r) => setTimeout(r, 20));
  const between = Date.now();
  await new Promise((r) => setTimeout(r, 20));
  await producer.send({ topic: 'timed', acks: -1, messages: [{ value: 'late' }] });
  await producer.disconnect();

  const consumer = client.consumer({ groupId: 'described', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 'timed', fromBeginning: true });
  let n = 0;
  await consumer.run({ eachMessage: async () => void n++ });
  await eventually(() => n === 2, 15_000, 'two messages');

  const admin = client.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(['described', 'never-seen']);
    const g = groups.find((x) => x.groupId === 'described')!;
    assert.equal(g.state, 'Stable');
    assert.equal(g.protocolType, 'consumer');
    assert.equal(g.members.length, 1);
    const assignment = g.members[0]!.memberAssignment;
    assert.ok(assignment.includes(Buffer.from('timed')), 'the member assignment names the topic');
    assert.equal(groups.find((x) => x.groupId === 'never-seen')!.state, 'Dead');
    const listed = await admin.listGroups();
    assert.ok(listed.groups.some((x) => x.groupId === 'described' && x.protocolType === 'consumer'));
    const [byTime] = await admin.fetchTopicOffsetsByTimestamp('timed', between);
    assert.equal(byTime!.offset, '1');
    const [offsets] = await admin.fetchTopicOffsets('timed');
    assert.deepEqual([offsets!.low, offsets!.high], ['0', '2']);
  } finally {
    await admin.disconnect();
    await consumer.disconnect();
  }
});

test('a long-polling fetch returns as soon as data is durable; acks=0 gets no answer but is stored', async () => {
  const client = kafka();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'poll' }] });
  await admin.disconnect();
  const consumer = client.consumer({ groupId: 'poller', maxWaitTimeInMs: 5_000 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 'poll', fromBeginning: true });
  const got: Array<{ value: string; at: number }> = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({ eachMessage: async ({ message }) => void got.push({ value: message.value!.toString(), at: Date.now() }) });
  await eventually(() => joined, 15_000, 'the consumer to join');
  await new Promise((r) => setTimeout(r, 300)); // its fetch is now waiting (up to 5 s) on an empty partition

  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const sentAt = Date.now();
  await producer.send({ topic: 'poll', acks: -1, messages: [{ value: 'wake up' }] });
  await eventually(() => got.length === 1, 8_000, 'the long-polled message');
  assert.ok(got[0]!.at - sentAt < 2_000, `delivered ${got[0]!.at - sentAt} ms after the send, not at the 5 s max wait`);

  // acks=0: kafkajs resolves without a response; the records are stored all the same.
  await producer.send({ topic: 'poll', acks: 0, messages: [{ value: 'fire' }, { value: 'forget' }] });
  await eventually(() => got.length === 3, 8_000, 'acks=0 messages');
  assert.deepEqual(got.map((g) => g.value), ['wake up', 'fire', 'forget']);
  // One more record answers the fetch that is waiting now, so disconnect need not wait out max_wait.
  const stopping = consumer.disconnect();
  await producer.send({ topic: 'poll', acks: -1, messages: [{ value: 'bye' }] });
  await stopping;
  await producer.disconnect();
});
