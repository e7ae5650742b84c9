/**
 * The latency phase of bench/events.ts: 5,000 messages/s, send → the consumer's handler, through our broker with
 * kafkajs (as it comes, and with TCP_NODELAY) and through Redis Streams as the anchor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { Redis } from 'ioredis';

export type LatencySummary = { p50: number; p99: number; max: number; samples: number; rate: number; hops?: Record<string, Hop> };

/** What the phase needs from the bench: how long, where the repo is, the child list to clean up, topic creation. */
export interface LatencyEnv {
  seconds: number;
  /** Untimed seconds of the same traffic first (0: none). */
  warmupSeconds: number;
  root: string;
  children: ChildProcess[];
  createTopic(kafka: Kafka, topic: string): Promise<void>;
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

export type Hop = { p50: number; p99: number; n: number };

/**
 * 5,000 messages/s for env.seconds seconds through `send` (every millisecond, the messages due by then, one send
 * per tick, as a producer with linger 0-1 ms); the consumer is its own process (events-latency-consumer.mjs) on
 * both sides, as a consuming app would be. Each value is its send time; the consumer reports send → handler.
 */
async function pacedLatency(env: LatencyEnv, kind: 'kafka' | 'kafka-nodelay' | 'redis', port: number, topic: string, send: (values: string[]) => void, onWarmedUp?: () => void): Promise<LatencySummary> {
  const total = 5000 * env.seconds;
  const child = spawn(process.execPath, [join(env.root, 'bench/events-latency-consumer.mjs'), kind, String(port), topic, String(total)], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  env.children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const waitFor = async (cond: () => boolean, ms: number, what: string) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`${kind} latency consumer: no ${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor(() => out.includes('ready\n'), 30_000, 'group join');
  await new Promise((r) => setTimeout(r, 500)); // its first fetch (or XREAD) is waiting
  /** `count` messages at 5,000/s; each value its send time, prefixed (the consumer skips 'w', the warm-up). */
  const pace = (count: number, prefix: string) => {
    let sent = 0;
    const t0 = performance.now();
    return new Promise<number>((resolve) => {
      const tick = () => {
        const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * 5000));
        if (due > sent) {
          send(Array.from({ length: due - sent }, () => prefix + String(performance.now() + performance.timeOrigin)));
          sent = due;
        }
        if (sent >= count) resolve(performance.now() - t0);
        else setTimeout(tick, 1);
      };
      tick();
    });
  };
  // The warm-up, untimed: the JIT optimises the producer's, the broker's and the consumer's code over their first
  // seconds of this traffic, which would otherwise fall on whichever phase runs first.
  if (env.warmupSeconds > 0) {
    await pace(5000 * env.warmupSeconds, 'w');
    onWarmedUp?.();
  }
  const sent = total;
  const elapsed = await pace(total, '');
  const result = () => out.split('\n').find((l) => l.startsWith('{') && l.endsWith('}'));
  try {
    await waitFor(() => result() !== undefined, 15_000, 'result');
  } catch {
    child.kill('SIGTERM');
    await waitFor(() => result() !== undefined, 5_000, 'result after SIGTERM');
  }
  const summary = JSON.parse(result()!) as Omit<LatencySummary, 'rate'>;
  return { ...summary, rate: rate(sent, elapsed) };
}

/**
 * kafkajs leaves Nagle's algorithm on (ioredis and Kafka's Java client turn it off): a small request waits in the
 * client's kernel until the previous one is acknowledged, which with acks=-1 is after the broker's fsync. `noDelay`
 * runs both kafkajs clients with TCP_NODELAY through kafkajs's `socketFactory` option.
 */
export async function latency(env: LatencyEnv, port: number, noDelay = false): Promise<LatencySummary> {
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = connect({ host, port }, onConnect);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, clientId: 'bench-latency', ...(noDelay ? { socketFactory } : {}) });
  const topic = noDelay ? 'latency-nodelay' : 'latency';
  await env.createTopic(kafka, topic);
  const producer = kafka.producer();
  await producer.connect();
  // The producer's hop: each Produce from kafkajs's write to its answer (ms, Date.now() resolution). With Nagle on,
  // a request's bytes may wait in the kernel for the previous answer: that wait is inside this round trip.
  const produceRtt: number[] = [];
  let warm = env.warmupSeconds <= 0;
  producer.on(producer.events.REQUEST, ({ payload }) => {
    if (warm && payload.apiName === 'Produce') produceRtt.push(payload.duration);
  });
  try {
    const r = await pacedLatency(env, noDelay ? 'kafka-nodelay' : 'kafka', port, topic, (values) => void producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) }), () => (warm = true));
    produceRtt.sort((a, b) => a - b);
    const q = (p: number) => produceRtt[Math.min(produceRtt.length - 1, Math.floor(p * produceRtt.length))] ?? NaN;
    return { ...r, hops: { ...r.hops, produceRtt: { p50: q(0.5), p99: q(0.99), n: produceRtt.length } } };
  } finally {
    await producer.disconnect();
  }
}

/** The same pacing through Redis Streams: XADD pipelined per tick, a blocking XREAD consumer process. */
export async function redisLatency(env: LatencyEnv, port: number): Promise<LatencySummary> {
  const producer = new Redis({ port });
  const pending: Array<Promise<unknown>> = [];
  try {
    return await pacedLatency(env, 'redis', port, 'latency', (values) => {
      const p = producer.pipeline();
      for (const v of values) p.xadd('latency', '*', 'v', v);
      pending.push(p.exec());
    });
  } finally {
    await Promise.allSettled(pending);
    producer.disconnect();
  }
}

