/**
 * The edm-stats consumer (group edm-stats). Offsets that matter are the ones in Postgres: on assignment each
 * partition seeks to its stored offset, each batch is stored with applyBatch, and only then is the offset committed
 * to the broker (for lag reporting). A crash between the two only causes a redelivery, which applyBatch skips.
 */
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { noDelaySocket } from '../../../shared/kafka-socket.js';
import type pg from 'pg';
import { applyBatch, storedOffsets } from './store.js';

export const TOPICS = ['edm-ui-click', 'edm-ui-pageload'];
export const GROUP_ID = 'edm-stats';

export interface ConsumerTotals {
  counted: number;
  duplicates: number;
  invalid: number;
  batches: number;
}

export interface StatsConsumer {
  consumer: Consumer;
  totals: ConsumerTotals;
  assigned(): string[];
  stop(): Promise<void>;
}

export async function startConsumer(opts: { brokers: string[]; pool: pg.Pool; log: (line: string) => void; clientId?: string }): Promise<StatsConsumer> {
  const { pool, log } = opts;
  const kafka = new Kafka({ clientId: opts.clientId ?? 'edm-stats', brokers: opts.brokers, logLevel: logLevel.WARN, retry: { retries: 10 }, socketFactory: noDelaySocket });
  // Short session: when a dyno is killed its partitions move to the survivor within seconds, not half a minute.
  // Fetches wait for 64 KB or 250 ms: the stats are read every few seconds, so bigger batches (fewer transactions,
  // fewer fetches) cost nothing a reader sees and save CPU on every side.
  const consumer = kafka.consumer({
    groupId: GROUP_ID,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 1_000,
    minBytes: 64 * 1024,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  const totals: ConsumerTotals = { counted: 0, duplicates: 0, invalid: 0, batches: 0 };
  let assignment: Record<string, number[]> = {};
  /**
   * Per partition, the stored offset a gap made us seek back to. A second gap at the same offset means the messages
   * are gone (retention), so it is accepted rather than looped on.
   */
  const sought = new Map<string, bigint>();

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignment = payload.memberAssignment;
    void (async () => {
      for (const [topic, parts] of Object.entries(assignment)) {
        const stored = await storedOffsets(pool, topic, parts);
        for (const [part, offset] of stored) {
          consumer.seek({ topic, partition: part, offset: offset.toString() });
        }
      }
      log(`assigned ${describe(assignment)}; resuming from the offsets stored in Postgres`);
    })().catch((e: unknown) => log(`seek to stored offsets failed: ${(e as Error).message}`));
  });

  await consumer.connect();
  await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: true,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const tp = `${batch.topic}/${batch.partition}`;
      const stored = await applyBatch(pool, batch.topic, batch.partition, batch.messages, (storedNext) => {
        if (sought.get(tp) === storedNext) return false;
        sought.set(tp, storedNext);
        return true;
      });
      if (stored.gap) {
        log(`${tp}: fetched from ${stored.gap.to} but counted up to ${stored.gap.from}: seeking back`);
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: stored.gap.from.toString() });
        return;
      }
      totals.batches++;
      totals.counted += stored.counted;
      totals.duplicates += stored.duplicates;
      totals.invalid += stored.invalid;
      if (stored.duplicates > 0) log(`${tp}: skipped ${stored.duplicates} already counted messages`);
      if (stored.invalid > 0) log(`${tp}: skipped ${stored.invalid} messages that are not events`);
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });

  return {
    consumer,
    totals,
    assigned: () => Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`)),
    stop: () => consumer.disconnect(),
  };
}

function describe(a: Record<string, number[]>): string {
  const parts = Object.entries(a).map(([t, ps]) => `${t}[${ps.join(',')}]`);
  return parts.length ? parts.join(' ') : 'no partitions';
}
