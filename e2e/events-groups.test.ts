/**
 * Consumer groups with three kafkajs consumers, each its own process: the partitions are split between them,
 * one is killed with SIGKILL (no LeaveGroup: the broker notices by session timeout), the survivors rebalance
 * and every message is consumed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, startBroker, type RunningBroker } from './events-support.js';

const fixture = new URL('./fixtures/events-consumer.mjs', import.meta.url).pathname;
let broker: RunningBroker;
const children: ChildProcess[] = [];

interface ConsumerProc {
  proc: ChildProcess;
  values: Set<string>;
  assignments: Array<Record<string, number[]>>;
}

function startConsumer(groupId: string, topic: string): ConsumerProc {
  const proc = spawn(process.execPath, [fixture, String(broker.port), groupId, topic], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(proc);
  const c: ConsumerProc = { proc, values: new Set(), assignments: [] };
  let buf = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i)) as { event: string; value?: string; assignment?: Record<string, number[]> };
      buf = buf.slice(i + 1);
      if (line.event === 'message') c.values.add(line.value!);
      if (line.event === 'join') c.assignments.push(line.assignment ?? {});
    }
  });
  return c;
}

before(async () => {
  broker = await startBroker();
});
after(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await broker?.kill();
});

test('three consumers split the partitions; one is killed; the group rebalances and every message is consumed', async () => {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'work', numPartitions: 6 }] });
  await admin.disconnect();

  const consumers = [startConsumer('workers', 'work'), startConsumer('workers', 'work'), startConsumer('workers', 'work')];
  const current = (c: ConsumerProc) => c.assignments[c.assignments.length - 1]?.work ?? [];
  // Settled when the three latest assignments cover the 6 partitions without overlap.
  await eventually(() => {
    const all = consumers.flatMap(current);
    return all.length === 6 && new Set(all).size === 6 && consumers.every((c) => current(c).length === 2);
  }, 30_000, 'an even split of 6 partitions over 3 consumers');

  const producer = kafka.producer();
  await producer.connect();
  const sent: string[] = [];
  const send = async (from: number, n: number) => {
    const messages = Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `m${from + i}` }));
    await producer.send({ topic: 'work', acks: -1, messages });
    sent.push(...messages.map((m) => m.value));
  };
  await send(0, 300);
  const consumed = () => new Set(consumers.flatMap((c) => [...c.values]));
  await eventually(() => sent.every((v) => consumed().has(v)), 20_000, 'the first 300 messages');

  const [victim, ...survivors] = consumers;
  process.kill(-victim!.proc.pid!, 'SIGKILL');
  await send(300, 300);

  await eventually(() => {
    const all = survivors.flatMap(current);
    return all.length === 6 && new Set(all).size === 6;
  }, 30_000, 'the survivors to take over all 6 partitions');
  await eventually(() => sent.every((v) => consumed().has(v)), 30_000, 'every message after the rebalance');
  await producer.disconnect();

  const groups = (await broker.admin('GET', '/v1/groups')).body as { groups: Array<{ group: string; state: string; members: unknown[] }> };
  const workers = groups.groups.find((g) => g.group === 'workers')!;
  assert.equal(workers.state, 'Stable');
  assert.equal(workers.members.length, 2);
  assert.match(broker.output(), /removed \(session timeout of 3000 ms expired\)/);
});
