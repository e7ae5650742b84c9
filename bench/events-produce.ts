/**
 * The produce phase of bench/events.ts: kafkajs (batches of 1,000 x 100-byte messages, acks=-1) and the Redis
 * anchor (ioredis pipelines of 1,000 XADD), with the client-side variations a user could choose (sends in flight,
 * maxInFlightRequests, partitions, TCP_NODELAY) as extra rows; and the interleaved rounds of `--only produce`,
 * which add the CEILING rows: the same kafkajs producer against bench/events-sink.ts, an endpoint that answers
 * every Produce at once and stores nothing (kafkajs's own limit, not a broker).
 */
import { connect } from 'node:net';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { Redis } from 'ioredis';

export const BATCH = 1000;
export const VALUE = Buffer.alloc(100, 'x');
/**
 * Untimed batches each client sends first (counted in the data and in the CPU figures, not in the time): the JIT
 * optimises a client's encoding over its first few thousand messages, and the first phase of the process would
 * otherwise pay for it alone (kafkajs 12 ms per 1,000 in the first phase against 9-10 in later ones, session 4).
 */
export const WARMUP_BATCHES = 10;
export const WARMUP_MESSAGES = WARMUP_BATCHES * BATCH;
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

/** How the kafkajs producer is used: the configuration is the default (1 partition, 4 sends in flight). */
export interface ProduceVariant {
  partitions?: number;
  /** Concurrent producer.send() calls on the one producer. */
  inflight?: number;
  /** kafkajs's per-connection cap on unanswered requests (unset: none). */
  maxInFlightRequests?: number;
  /** TCP_NODELAY on kafkajs's sockets (a socketFactory; kafkajs leaves Nagle's algorithm on). */
  noDelay?: boolean;
}

const noDelayFactory: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/** N messages (after the untimed warm-up) in batches of 1,000; returns msg/s. */
export async function kafkaProduce(port: number, topic: string, n: number, v: ProduceVariant = {}): Promise<number> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, clientId: 'bench', ...(v.noDelay ? { socketFactory: noDelayFactory } : {}) });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: v.partitions ?? 1 }] });
  await admin.disconnect();
  const producer = kafka.producer(v.maxInFlightRequests ? { maxInFlightRequests: v.maxInFlightRequests } : {});
  await producer.connect();
  const messages = Array.from({ length: BATCH }, () => ({ value: VALUE }));
  for (let i = 0; i < WARMUP_BATCHES; i++) await producer.send({ topic, acks: -1, messages });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: v.inflight ?? 4 }, async () => {
      while (next < n) {
        next += BATCH;
        await producer.send({ topic, acks: -1, messages });
      }
    }),
  );
  const ms = performance.now() - t0;
  await producer.disconnect();
  return rate(n, ms);
}

export async function redisProduce(port: number, stream: string, n: number, inflight = 4): Promise<number> {
  const r = new Redis({ port });
  const batch = () => {
    const p = r.pipeline();
    for (let i = 0; i < BATCH; i++) p.xadd(stream, '*', 'v', VALUE);
    return p.exec();
  };
  for (let i = 0; i < WARMUP_BATCHES; i++) await batch();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < n) {
        next += BATCH;
        await batch();
      }
    }),
  );
  const ms = performance.now() - t0;
  r.disconnect();
  return rate(next, ms);
}

/** One row of the interleaved rounds: which endpoint, and how kafkajs is used. */
export interface Row {
  name: string;
  target: 'broker' | 'sink' | 'redis';
  variant?: ProduceVariant;
}

/**
 * The rows of `--only produce`: the headline (issue's configuration), the ceiling with the same settings, the
 * Redis anchor, then with `variants` the client-side variations against the broker (and the ceiling's 6 partitions).
 */
export function produceRows(partitions: number, inflight: number, variants: boolean): Row[] {
  const rows: Row[] = [
    { name: 'broker', target: 'broker', variant: { inflight } },
    { name: 'sinkCeiling', target: 'sink', variant: { inflight } },
    { name: `broker${partitions}p`, target: 'broker', variant: { inflight, partitions } },
    { name: `sinkCeiling${partitions}p`, target: 'sink', variant: { inflight, partitions } },
    { name: 'redis', target: 'redis' },
  ];
  if (variants) {
    rows.push(
      { name: 'broker-inflight1', target: 'broker', variant: { inflight: 1 } },
      { name: 'broker-inflight16', target: 'broker', variant: { inflight: 16 } },
      { name: 'broker-maxInFlightRequests1', target: 'broker', variant: { inflight, maxInFlightRequests: 1 } },
      { name: 'broker-noDelay', target: 'broker', variant: { inflight, noDelay: true } },
    );
  }
  return rows;
}
