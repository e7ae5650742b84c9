/**
 * Event log throughput and latency, our broker side by side with Redis Streams in one run.
 *   - produce: kafkajs, batches of 1,000 x 100-byte messages, acks=-1 (ours) vs ioredis pipelines of 1,000 XADD
 *     (redis-server with appendonly yes, appendfsync everysec); the same number of batches in flight on both. Ours
 *     to a 1-partition topic and to a --partitions N one (default 6, as a Kafka user would have; kafkajs then sends
 *     one batch per partition), Redis to one stream as the issue defines the anchor.
 *     Each client first sends 10 untimed batches (events-produce.ts: the JIT's warm-up is not throughput).
 *   - CEILING (a measurement of kafkajs, not of any broker): the same kafkajs producer, same settings, against
 *     bench/events-sink.ts, an endpoint that answers every Produce at once and stores nothing. What kafkajs
 *     reaches against it is the most any broker could give it on this machine.
 *   - consume: kafkajs eachBatch, a group of one (ours) vs XREADGROUP COUNT 1,000 + XACK (Redis).
 *   - kcat -P of 1,000,000 lines and kcat -C of them (librdkafka, the client kafkajs's consumer is not).
 *   - end-to-end latency (send → consumer's eachMessage) at 5,000 messages/s, p50/p99; Redis (XADD → blocking
 *     XREAD) at the same pace as the anchor; on both sides the consumer is its own process. Then kafkajs again with
 *     TCP_NODELAY on its sockets (a socketFactory): kafkajs leaves Nagle's algorithm on, unlike ioredis. Each
 *     phase starts with --latency-warmup seconds (3) of the same traffic, untimed (values the consumer skips).
 *   - broker RSS idle and the peak under each load.
 * Run: node --import tsx bench/events.ts [--messages 200000] [--kcat-lines 1000000] [--latency-seconds 10] [--latency-warmup 3]
 * Needs: `npm run build` (the broker runs from dist/, as in production), redis-server and kcat (apt).
 * --only latency [--nodelay-first]: the latency phase alone with its Redis anchor; --only produce [--rounds 3] [--variants]: interleaved
 * produce rounds (broker and ceiling, each to 1 and N partitions, Redis; --variants adds client-side variations
 * against the broker: 1 or 16 sends in flight, maxInFlightRequests 1, TCP_NODELAY) with CPU per 1,000 messages; BENCH_BROKER_MAIN=<dist>/events/main.js runs another
 * build of the broker (A/B two builds by alternating runs), BENCH_BROKER_NODE_FLAGS="..." other node flags for it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { latency, redisLatency, type LatencyEnv } from './events-latency.js';
import { BROKER_NODE_FLAGS } from '../packages/spaceport/src/events/node-flags.js';
import { BATCH, VALUE, WARMUP_MESSAGES, kafkaProduce, produceRows, redisProduce, type Row } from './events-produce.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '200000' },
    'kcat-lines': { type: 'string', default: '1000000' },
    'latency-seconds': { type: 'string', default: '10' },
    'latency-warmup': { type: 'string', default: '3' },
    inflight: { type: 'string', default: '4' },
    partitions: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    variants: { type: 'boolean', default: false },
    'nodelay-first': { type: 'boolean', default: false },
  },
});
const N = Number(args.messages);
const KCAT_LINES = Number(args['kcat-lines']);
const LATENCY_S = Number(args['latency-seconds']);
const INFLIGHT = Number(args.inflight);
/** The multi-partition produce variant: kafkajs spreads key-less messages over them (one batch per partition). */
const PARTITIONS = Number(args.partitions);
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'spaceport-bench-events-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ');
  return Number(f[13]) + Number(f[14]);
}

/**
 * CPU used during each phase, as a share of one core (server: our broker or redis-server; benchClient: this
 * process, i.e. kafkajs or ioredis), and the client's CPU milliseconds per 1,000 messages: shows which side is
 * the limit.
 */
const cpu: Record<string, { server: number; benchClient: number; clientMsPer1000?: number; serverMsPer1000?: number }> = {};

/** Samples a process's RSS every 100 ms while `fn` runs; returns fn's result and the peak. */
async function withPeakRss<T>(pid: number, fn: () => Promise<T>, phase?: string, messages?: number): Promise<[T, number]> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);
  const t0 = performance.now();
  const ticks0 = cpuTicks(pid);
  const me = process.cpuUsage();
  try {
    return [await fn(), peak];
  } finally {
    clearInterval(timer);
    const wall = performance.now() - t0;
    const mine = process.cpuUsage(me);
    const clientMs = (mine.user + mine.system) / 1000;
    if (phase) {
      const serverMs = (cpuTicks(pid) - ticks0) * 10;
      cpu[phase] = { server: Math.round((serverMs * 100) / wall) / 100, benchClient: Math.round((clientMs * 100) / wall) / 100 };
      if (messages) {
        cpu[phase]!.clientMsPer1000 = Math.round((clientMs / messages) * 1000 * 100) / 100;
        cpu[phase]!.serverMsPer1000 = Math.round((serverMs / messages) * 1000 * 100) / 100;
      }
    }
  }
}

/** The broker logs where produce time goes inside it (produce timings) every 5 s: kept with the latency results. */
async function startBroker(): Promise<{ port: number; pid: number; output: () => string }> {
  const dist = process.env.BENCH_BROKER_MAIN ?? join(root, 'packages/spaceport/dist/events/main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', join(root, 'packages/spaceport/src/events/main.ts')];
  // As the supervisor starts it (node-flags.ts); BENCH_BROKER_NODE_FLAGS="..." overrides them (A/B of flags).
  const flags = process.env.BENCH_BROKER_NODE_FLAGS !== undefined ? process.env.BENCH_BROKER_NODE_FLAGS.split(' ').filter(Boolean) : BROKER_NODE_FLAGS;
  const proc = spawn(process.execPath, [...flags, ...argv, '--port', '0', '--data', join(work, 'broker')], { stdio: ['ignore', 'pipe', 'inherit'], detached: true, env: { ...process.env, UV_THREADPOOL_SIZE: '16', SPACEPORT_EVENTS_CONFIG: JSON.stringify({ produceTimingsMs: 5000 }) } });
  children.push(proc);
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pid: proc.pid!, output: () => out });
    });
    proc.once('exit', (code) => reject(new Error(`broker exited ${code}: ${out}`)));
  });
}

/** The CEILING endpoint (bench/events-sink.ts): answers every Produce at once, stores nothing. */
async function startSink(): Promise<{ port: number; pid: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/events-sink.ts')], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(proc);
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pid: proc.pid! });
    });
    proc.once('exit', (code) => reject(new Error(`sink exited ${code}: ${out}`)));
  });
}

type Endpoint = { port: number; pid: number };

/** One produce row of round r (a fresh topic or stream each time), its CPU recorded as `<row>-r<r>`. */
async function produceRow(row: Row, r: number, at: { broker: Endpoint; sink: Endpoint; redis: Endpoint }): Promise<number> {
  const ep = at[row.target];
  const run = row.target === 'redis' ? () => redisProduce(ep.port, `s-${r}`, N, INFLIGHT) : () => kafkaProduce(ep.port, `${row.name}-${r}`, N, row.variant);
  const [rate] = await withPeakRss(ep.pid, run, `${row.name}-r${r}`, N + WARMUP_MESSAGES);
  return rate;
}

async function startRedis(): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const dir = join(work, 'redis');
  spawnSync('mkdir', ['-p', dir]);
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''], { stdio: 'ignore', detached: true });
  children.push(proc);
  for (let i = 0; i < 100; i++) {
    const client = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.quit();
      break;
    } catch {
      client.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { port, pid: proc.pid! };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

/** A topic for a phase of the bench (one partition unless said). */
async function createTopic(kafka: Kafka, topic: string, partitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
}

async function kafkaConsume(port: number, topic: string, total: number): Promise<number> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, clientId: 'bench' });
  const consumer = kafka.consumer({ groupId: `bench-${topic}`, maxBytes: 50 << 20, maxBytesPerPartition: 10 << 20, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  // The clock starts when the first fetch is sent (after the group join), as Redis's starts before its first
  // XREADGROUP: the first batch's transfer and decoding count.
  let t0 = 0;
  consumer.on(consumer.events.FETCH_START, () => {
    if (t0 === 0) t0 = performance.now();
  });
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= total) resolve(performance.now());
      },
    });
  });
  const end = await done;
  await consumer.disconnect();
  return rate(seen, end - t0);
}

async function redisConsume(port: number, stream: string, total: number): Promise<number> {
  const r = new Redis({ port });
  await r.xgroup('CREATE', stream, 'bench', '0');
  let seen = 0;
  const acks: Array<Promise<unknown>> = [];
  const t0 = performance.now();
  while (seen < total) {
    const res = (await r.xreadgroup('GROUP', 'bench', 'c1', 'COUNT', BATCH, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]> | null;
    if (!res) continue;
    const entries = res[0]![1];
    seen += entries.length;
    acks.push(r.xack(stream, 'bench', ...entries.map((e) => e[0])));
  }
  const ms = performance.now() - t0;
  await Promise.all(acks); // outstanding XACKs would fail (an unhandled rejection) once the connection closes
  r.disconnect();
  return rate(seen, ms);
}

function kcat(port: number, argv: string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('kcat', ['-b', `127.0.0.1:${port}`, ...argv], { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    if (input) {
      const data = readFileSync(input);
      child.stdin!.end(data);
    }
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`kcat ${argv.join(' ')} exited ${code}: ${err}`))));
  });
}

/** The broker's produce timings lines (kafkajs as it comes, the latency phase's first part). */
function timingLines(out: string): string[] {
  return out.match(/^produce timings.*$/gm) ?? [];
}

const latencyEnv: LatencyEnv = { seconds: LATENCY_S, warmupSeconds: Number(args['latency-warmup']), root, children, createTopic };

async function main(): Promise<void> {
  if (args.only === 'produce') {
    // Produce alone, interleaved rounds (produceRows: broker, ceiling, N partitions of each, Redis, and with
    // --variants the client-side variations), each with its CPU per 1,000 messages on both sides.
    const broker = await startBroker();
    const sink = await startSink();
    const redis = await startRedis();
    const rows = produceRows(PARTITIONS, INFLIGHT, args.variants === true);
    const rounds = Number(args.rounds);
    const runs: Array<Record<string, number>> = [];
    for (let r = 0; r < rounds; r++) {
      const run: Record<string, number> = {};
      for (const row of rows) run[row.name] = await produceRow(row, r, { broker, sink, redis });
      runs.push(run);
      console.error(`round ${r}: ${JSON.stringify(run)}`);
    }
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const round2 = (x: number) => Math.round(x * 100) / 100;
    const medians = Object.fromEntries(rows.map((row) => [row.name, med(runs.map((x) => x[row.name]!))]));
    const medianRatioToRedis = Object.fromEntries(rows.filter((row) => row.target !== 'redis').map((row) => [row.name, round2(med(runs.map((x) => x[row.name]! / x.redis!)))]));
    const cpuMedians = Object.fromEntries(
      rows.map((row) => {
        const of = (k: 'clientMsPer1000' | 'serverMsPer1000' | 'benchClient') => med(runs.map((_, r) => cpu[`${row.name}-r${r}`]![k]!));
        return [row.name, { clientMsPer1000: of('clientMsPer1000'), serverMsPer1000: of('serverMsPer1000'), clientShareOfOneCore: of('benchClient') }];
      }),
    );
    console.log(JSON.stringify({ partitions: PARTITIONS, inflight: INFLIGHT, messages: N, rounds, runs, medians, medianRatioToRedis, cpuMedians, note: 'sinkCeiling rows: kafkajs against an endpoint that answers every Produce at once and stores nothing (bench/events-sink.ts): the client\'s own limit, not a broker', loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) }, null, 1));
    return;
  }
  if (args.only === 'latency') {
    // The latency phase alone, with its Redis anchor from the same run.
    const broker = await startBroker();
    const redis = await startRedis();
    // --nodelay-first swaps the two kafkajs phases: the first one runs with this process's kafkajs code not yet
    // optimised by the JIT (an order effect to tell apart from Nagle's).
    const phase = async (noDelay: boolean) => {
      const mark = broker.output().length;
      const r = await latency(latencyEnv, broker.port, noDelay);
      return [r, timingLines(broker.output().slice(mark))] as const;
    };
    const first = await phase(args['nodelay-first'] === true);
    const redisLat = await redisLatency(latencyEnv, redis.port);
    const second = await phase(args['nodelay-first'] !== true);
    const [[ours, brokerProduceTimings], [oursNoDelay, brokerProduceTimingsNoDelay]] = args['nodelay-first'] === true ? [second, first] : [first, second];
    console.log(JSON.stringify({ latency: { ours, redis: redisLat, oursNoDelay, brokerProduceTimings, brokerProduceTimingsNoDelay, nodelayFirst: args['nodelay-first'] === true }, loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) }));
    return;
  }
  const broker = await startBroker();
  const redis = await startRedis();
  await new Promise((r) => setTimeout(r, 500));
  const idleRss = rssMiB(broker.pid);

  const [oursProduce, rssProduce] = await withPeakRss(broker.pid, () => kafkaProduce(broker.port, 'bench', N, { inflight: INFLIGHT }), 'produce', N + WARMUP_MESSAGES);
  const [oursProduceMany] = await withPeakRss(broker.pid, () => kafkaProduce(broker.port, 'bench-many', N, { inflight: INFLIGHT, partitions: PARTITIONS }), `produce${PARTITIONS}p`, N + WARMUP_MESSAGES);
  const [redisProduceRate] = await withPeakRss(redis.pid, () => redisProduce(redis.port, 'bench', N, INFLIGHT), 'redisProduce', N + WARMUP_MESSAGES);
  const sink = await startSink();
  const [ceiling] = await withPeakRss(sink.pid, () => kafkaProduce(sink.port, 'bench', N, { inflight: INFLIGHT }), 'produceCeilingSink', N + WARMUP_MESSAGES);
  const [oursConsume, rssConsume] = await withPeakRss(broker.pid, () => kafkaConsume(broker.port, 'bench', N), 'consume', N);
  const [redisConsumeRate] = await withPeakRss(redis.pid, () => redisConsume(redis.port, 'bench', N), 'redisConsume', N);

  const lines = join(work, 'lines.txt');
  const line = 'y'.repeat(99) + '\n';
  writeFileSync(lines, line.repeat(KCAT_LINES));
  const [kcatProduceMs, rssKcat] = await withPeakRss(broker.pid, () =>
    kcat(broker.port, ['-P', '-t', 'kcat', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.messages=2000000'], lines),
    'kcatProduce',
  );
  const kcatConsumeMs = await kcat(broker.port, ['-C', '-t', 'kcat', '-o', 'beginning', '-e', '-q']);

  const mark = broker.output().length;
  const [lat, rssLatency] = await withPeakRss(broker.pid, () => latency(latencyEnv, broker.port), 'latency');
  const brokerProduceTimings = timingLines(broker.output().slice(mark));
  const redisLat = await redisLatency(latencyEnv, redis.port);
  const latNoDelay = await latency(latencyEnv, broker.port, true);
  const result = {
    messageBytes: VALUE.length,
    messages: N,
    batch: BATCH,
    inflightBatches: INFLIGHT,
    produce: { ours: oursProduce, redis: redisProduceRate, ratio: Math.round((oursProduce / redisProduceRate) * 100) / 100, unit: 'msg/s' },
    produceCeiling: { what: 'kafkajs, same settings, against bench/events-sink.ts (answers every Produce at once, stores nothing): the client\'s limit, not a broker', sink: ceiling, redis: redisProduceRate, ratio: Math.round((ceiling / redisProduceRate) * 100) / 100, unit: 'msg/s' },
    produceManyPartitions: { partitions: PARTITIONS, ours: oursProduceMany, redis: redisProduceRate, ratio: Math.round((oursProduceMany / redisProduceRate) * 100) / 100, unit: 'msg/s' },
    consume: { ours: oursConsume, redis: redisConsumeRate, ratio: Math.round((oursConsume / redisConsumeRate) * 100) / 100, unit: 'msg/s' },
    kcat: {
      lines: KCAT_LINES,
      produce: rate(KCAT_LINES, kcatProduceMs),
      consume: rate(KCAT_LINES, kcatConsumeMs),
      target: 500_000,
      unit: 'msg/s (process wall time, including kcat start-up)',
    },
    latency: { targetRate: 5000, ours: lat, redis: redisLat, oursKafkajsNoDelay: latNoDelay, brokerProduceTimings, targetP99: 10, unit: 'ms' },
    cpuShareOfOneCore: cpu,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    brokerRssMiB: { idle: idleRss, produce: rssProduce, consume: rssConsume, kcatProduce: rssKcat, latency: rssLatency },
  };
  console.log(JSON.stringify(result, null, 2));
}

try {
  await main();
} finally {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  rmSync(work, { recursive: true, force: true });
}
