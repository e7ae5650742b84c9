/**
 * CreatePartitions and DeleteGroups against the real broker process: kafkajs's admin and consumers, kcat on the new
 * partitions, Kafka's error codes, and what survives a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { eventually, startBroker, tempDir, type RunningBroker } from './events-support.js';
import { kafkajsRequest } from './events-wire-support.js';

let broker: RunningBroker;
let admin: Admin;
const dataDir = tempDir();
const consumers: Consumer[] = [];
const hasKcat = spawnSync('kcat', ['-V']).status === 0;

const kafka = () => new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
const errorType = (p: Promise<unknown>) => p.then(() => 'no error', (e: { type?: string }) => e.type ?? String(e));
/** kafkajs's DeleteGroups error carries one error per group. */
const groupErrorType = (p: Promise<unknown>) => p.then(() => 'no error', (e: { groups?: { error?: { type?: string } }[] }) => e.groups?.[0]?.error?.type ?? String(e));

before(async () => {
  broker = await startBroker({ dataDir, config: { autoCreateTopics: false } });
  admin = kafka().admin();
  await admin.connect();
});
after(async () => {
  for (const c of consumers) await c.disconnect().catch(() => {});
  await admin?.disconnect();
  await broker?.kill();
});

function kcat(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', ['-b', `127.0.0.1:${broker.port}`, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

test('CreatePartitions grows a topic: a running group rebalances onto the new partitions, which produce and consume', async () => {
  await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] });
  const consumer = kafka().consumer({ groupId: 'g-grow', heartbeatInterval: 300, maxWaitTimeInMs: 500 });
  consumers.push(consumer);
  const assigned: number[][] = [];
  consumer.on(consumer.events.GROUP_JOIN, (e) => assigned.push([...(e.payload.memberAssignment['grow'] ?? [])].sort()));
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: 'grow', fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push(`${partition}:${message.value}`) });
  await eventually(() => assigned.length === 1, 15_000, 'the first assignment');
  assert.deepEqual(assigned[0], [0, 1]);

  await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 4 }] });
  // The broker rebalances the group at once (kafkajs alone would notice at its next metadata refresh, 5 min).
  await eventually(() => assigned.at(-1)?.length === 4, 15_000, 'the rebalance onto 4 partitions');
  assert.deepEqual(assigned.at(-1), [0, 1, 2, 3]);
  const meta = await admin.fetchTopicMetadata({ topics: ['grow'] });
  assert.equal(meta.topics[0]!.partitions.length, 4);

  const producer = kafka().producer();
  await producer.connect();
  await producer.send({ topic: 'grow', messages: [{ value: 'to-3', partition: 3 }, { value: 'to-2', partition: 2 }] });
  await producer.disconnect();
  await eventually(() => seen.includes('3:to-3') && seen.includes('2:to-2'), 15_000, 'the records on the new partitions');
  const offsets = await admin.fetchTopicOffsets('grow');
  assert.deepEqual(offsets.map((o) => [o.partition, o.high]).sort(), [[0, '0'], [1, '0'], [2, '1'], [3, '1']]);
});

test('kcat (librdkafka) sees the new partitions and produces to and consumes from one', { skip: !hasKcat && 'kcat is not installed (apt-get install -y kcat)' }, async () => {
  const meta = await kcat(['-L', '-t', 'grow']);
  assert.match(meta, /topic "grow" with 4 partitions/);
  await kcat(['-P', '-t', 'grow', '-p', '3'], 'from-kcat\n');
  const out = await kcat(['-C', '-t', 'grow', '-p', '3', '-o', 'beginning', '-e', '-f', '%o:%s\n']);
  assert.deepEqual(out.trim().split('\n'), ['0:to-3', '1:from-kcat']);
});

test('a kcat -G consumer (librdkafka) is rebalanced onto the new partitions and reads them; its group is deleted once it left', { skip: !hasKcat && 'kcat is not installed (apt-get install -y kcat)' }, async () => {
  await admin.createTopics({ topics: [{ topic: 'kgrow', numPartitions: 1 }] });
  // earliest: a partition that gets data before its assignment would otherwise start at its end (librdkafka's
  // auto.offset.reset=latest, as in Kafka).
  const child = spawn('kcat', ['-b', `127.0.0.1:${broker.port}`, '-G', 'kg', '-u', '-X', 'auto.offset.reset=earliest', '-f', '%p:%o:%s\n', 'kgrow'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (err += c));
  try {
    await eventually(() => /assigned: kgrow \[0\]/.test(err), 15_000, 'kcat\'s first assignment');
    await admin.createPartitions({ topicPartitions: [{ topic: 'kgrow', count: 3 }] });
    await eventually(() => /assigned: kgrow \[0\], kgrow \[1\], kgrow \[2\]/.test(err), 15_000, `kcat's assignment of the 3 partitions:\n${err}`);
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: 'kgrow', messages: [{ value: 'new', partition: 2 }] });
    await producer.disconnect();
    await eventually(() => out.includes('2:0:new'), 15_000, 'kcat reading the new partition').catch((e: Error) => { throw new Error(`${e.message}\nout: ${out}\nerr: ${err}`); });
    // DeleteGroups of librdkafka's group: refused while kcat is in it; once kcat has left (SIGTERM: it commits
    // and sends LeaveGroup), the group and its committed offsets are gone.
    assert.equal(await groupErrorType(admin.deleteGroups(['kg'])), 'NON_EMPTY_GROUP');
    await eventually(async () => (await admin.fetchOffsets({ groupId: 'kg', topics: ['kgrow'] }))[0]!.partitions.some((p) => p.offset === '1'), 15_000, 'kcat\'s commit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await admin.deleteGroups(['kg']);
    assert.ok((await admin.fetchOffsets({ groupId: 'kg', topics: ['kgrow'] }))[0]!.partitions.every((p) => p.offset === '-1'));
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

test('CreatePartitions refuses with Kafka\'s codes, and validateOnly changes nothing', async () => {
  const grow = (topic: string, count: number, assignments?: number[][]) => errorType(admin.createPartitions({ topicPartitions: [{ topic, count, ...(assignments ? { assignments } : {}) }] }));
  assert.equal(await grow('grow', 4), 'INVALID_PARTITIONS', 'the same count');
  assert.equal(await grow('grow', 1), 'INVALID_PARTITIONS', 'fewer');
  assert.equal(await grow('grow', 1001), 'INVALID_PARTITIONS', 'over 1000');
  assert.equal(await grow('nope', 3), 'UNKNOWN_TOPIC_OR_PARTITION');
  assert.equal(await grow('grow', 6, [[0]]), 'INVALID_REPLICA_ASSIGNMENT', 'one assignment for two new partitions');
  assert.equal(await grow('grow', 5, [[1]]), 'INVALID_REPLICA_ASSIGNMENT', 'a broker that does not exist');
  await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'grow', count: 8 }] });
  assert.equal((await admin.fetchTopicMetadata({ topics: ['grow'] })).topics[0]!.partitions.length, 4);
  // v0 through kafkajs's own codec, with the message that says why.
  type Res = { topicErrors: { topicName: string; errorCode: number; errorMessage: string }[] };
  const r = await kafkajsRequest<Res>(broker.port, 'createPartitions', 0, { topicPartitions: [{ topic: 'grow', count: 2 }], timeout: 5000, validateOnly: false });
  assert.equal(r.topicErrors[0]!.errorCode, 37);
  assert.match(r.topicErrors[0]!.errorMessage, /currently has 4 partitions, which is higher than the requested 2/);
  const ok = await kafkajsRequest<Res>(broker.port, 'createPartitions', 0, { topicPartitions: [{ topic: 'grow', count: 5, assignments: [[0]] }], timeout: 5000, validateOnly: false });
  assert.equal(ok.topicErrors[0]!.errorCode, 0, 'v0 with an assignment on this broker');
  assert.equal((await admin.fetchTopicMetadata({ topics: ['grow'] })).topics[0]!.partitions.length, 5);
});

test('groups: an assigned partition with no committed offset shows its log end; COMMITTED and LAG are "-" (as kafka-consumer-groups.sh)', async () => {
  const { formatGroups } = await import('../packages/spaceport/src/events/cli-format.js');
  const consumer = kafka().consumer({ groupId: 'g-nocommit', heartbeatInterval: 300, maxWaitTimeInMs: 500 });
  let got = 0;
  const joins: number[][] = [];
  consumer.on(consumer.events.GROUP_JOIN, (e) => joins.push([...(e.payload.memberAssignment['grow'] ?? [])].sort()));
  await consumer.connect();
  await consumer.subscribe({ topic: 'grow', fromBeginning: true });
  await consumer.run({ autoCommit: false, eachMessage: async () => void got++ });
  try {
    // The ends as ListOffsets gives them (partition 3 holds kcat's record too when kcat ran).
    const ends = (await admin.fetchTopicOffsets('grow')).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
    assert.deepEqual(ends.slice(0, 3), [0, 0, 1]);
    await eventually(() => got === ends.reduce((a, b) => a + b, 0), 15_000, 'every record read');
    type View = import('../packages/spaceport/src/events/admin/views.js').GroupView;
    const view = ((await broker.admin('GET', '/v1/groups')).body as { groups: View[] }).groups.find((g) => g.group === 'g-nocommit')!;
    assert.deepEqual(view.offsets.map((o) => [o.partition, o.committed, o.logEndOffset, o.lag]), ends.map((e, p) => [p, null, e, null]));
    const rows = formatGroups('ev', [view]).split('\n').filter((l) => l.startsWith('grow ')).map((l) => l.split(/\s+/).slice(0, 5).join(' '));
    assert.deepEqual(rows, ends.map((e, p) => `grow ${p} - ${e} -`));
    // Growth through the admin API (what `spaceport apply` sends for a larger partitions:) rebalances groups too.
    assert.equal((await broker.admin('PATCH', '/v1/topics/grow', { partitions: 6 })).status, 200);
    await eventually(() => joins.at(-1)?.length === 6, 15_000, 'the rebalance after the admin API grew the topic');
    assert.deepEqual(joins.at(-1), [0, 1, 2, 3, 4, 5]);
  } finally {
    await consumer.disconnect();
  }
  await admin.deleteGroups(['g-nocommit']);
});

test('DeleteGroups: NON_EMPTY_GROUP while members are live, GROUP_ID_NOT_FOUND when unknown, offsets gone after', async () => {
  const del = async (groupId: string) => {
    const r = await kafkajsRequest<{ results: { groupId: string; errorCode: number }[] }>(broker.port, 'deleteGroups', 1, [groupId]);
    return r.results[0]!.errorCode;
  };
  const live = consumers[0]!;
  // A commit outside group management (as kcat -G or a tool's reset does): the group is known by its offsets only.
  type Commit = { responses: { partitions: { errorCode: number }[] }[] };
  const commit = await kafkajsRequest<Commit>(broker.port, 'offsetCommit', 2, { groupId: 'g-idle', groupGenerationId: -1, memberId: '', retentionTime: -1, topics: [{ topic: 'grow', partitions: [{ partition: 0, offset: '0' }] }] });
  assert.equal(commit.responses[0]!.partitions[0]!.errorCode, 0);
  assert.equal(await groupErrorType(admin.deleteGroups(['g-grow'])), 'NON_EMPTY_GROUP', 'a running consumer');
  assert.equal(await del('g-grow'), 68);
  assert.equal(await del('no-such-group'), 69, 'GROUP_ID_NOT_FOUND');
  assert.equal(await groupErrorType(admin.deleteGroups(['no-such-group'])), 'GROUP_ID_NOT_FOUND');
  const before = await admin.fetchOffsets({ groupId: 'g-grow', topics: ['grow'] });
  assert.ok(before[0]!.partitions.some((p) => p.offset !== '-1'), 'the group committed offsets');

  await live.disconnect();
  consumers.length = 0;
  const res = await admin.deleteGroups(['g-grow']);
  assert.deepEqual(res.map((r) => [r.groupId, r.errorCode]), [['g-grow', 0]]);
  const afterDelete = await admin.fetchOffsets({ groupId: 'g-grow', topics: ['grow'] });
  assert.ok(afterDelete[0]!.partitions.every((p) => p.offset === '-1'), 'no committed offset left');
  assert.ok(!(await admin.listGroups()).groups.some((g) => g.groupId === 'g-grow'));
  assert.equal(await del('g-grow'), 69, 'a deleted group is not found');
  assert.equal(await del('g-idle'), 0, 'a group known only by its committed offsets (v1)');
  assert.equal(await kafkajsRequest<{ results: { errorCode: number }[] }>(broker.port, 'deleteGroups', 0, ['g-idle']).then((r) => r.results[0]!.errorCode), 69, 'v0');
});

test('after a restart: the grown partitions are there, the deleted groups stay deleted', async () => {
  await admin.disconnect();
  await broker.stop();
  broker = await startBroker({ dataDir, config: { autoCreateTopics: false } });
  admin = kafka().admin();
  await admin.connect();
  assert.equal((await admin.fetchTopicMetadata({ topics: ['grow'] })).topics[0]!.partitions.length, 6);
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
  assert.ok(!groups.includes('g-grow') && !groups.includes('g-idle'), `groups after restart: ${groups.join(', ')}`);
  assert.ok((await admin.fetchOffsets({ groupId: 'g-grow', topics: ['grow'] }))[0]!.partitions.every((p) => p.offset === '-1'));
});
