// The latency benchmark's consumer, in its own process as a real consuming app would be (bench/events.ts).
// argv: kafka|kafka-nodelay|redis port topic expectedMessages.
//   kafka: a kafkajs group consumer (eachMessage, kafkajs's default commit after each batch).
//   kafka-nodelay: the same with TCP_NODELAY on its sockets (kafkajs leaves Nagle's algorithm on).
//   redis: the anchor, a blocking XREAD loop on the stream `topic` (ioredis), so both sides pay the same hop
//          between processes.
// Prints `ready` once it is waiting for messages, then one JSON line with the latency summary (send → handler,
// ms): {"p50","p99","max","samples"}, and for kafkajs its hops: OffsetCommit round trips (kafkajs awaits each
// before its next fetch) and the time from a Fetch response's arrival to each message's handler (kafkajs decoding).
const [kind, port, topic, expected] = process.argv.slice(2);
const samples = [];
const hops = { offsetCommitRtt: [], fetchResponseToHandler: [] };
let lastFetchDone = 0;
// Values starting with 'w' are the producer's warm-up (bench/events-latency.ts): neither timed nor counted, and the
// hops are recorded only once the first timed message arrived.
let measuring = false;
const record = (value) => {
  if (value.startsWith('w')) return;
  measuring = true;
  samples.push(performance.now() + performance.timeOrigin - Number(value));
  if (samples.length === Number(expected)) finish();
};
let stop = async () => {};
const finish = () => {
  const q = (xs, p) => {
    const sorted = xs.sort((a, b) => a - b);
    return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) * 100) / 100;
  };
  const summary = { p50: q(samples, 0.5), p99: q(samples, 0.99), max: q(samples, 1), samples: samples.length };
  if (kind.startsWith('kafka')) summary.hops = Object.fromEntries(Object.entries(hops).map(([k, xs]) => [k, { p50: q(xs, 0.5), p99: q(xs, 0.99), n: xs.length }]));
  process.stdout.write(JSON.stringify(summary) + '\n');
  stop().finally(() => process.exit(0));
};
process.on('SIGTERM', finish);

if (kind.startsWith('kafka')) {
  const { Kafka, logLevel } = await import('kafkajs');
  const net = await import('node:net');
  const socketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], clientId: 'bench-latency-consumer', logLevel: logLevel.NOTHING, ...(kind === 'kafka-nodelay' ? { socketFactory } : {}) });
  const consumer = kafka.consumer({ groupId: `bench-${topic}`, maxWaitTimeInMs: 1000 });
  stop = () => consumer.disconnect();
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  // kafkajs's request events (Date.now() resolution): emitted as each response is handled.
  consumer.on(consumer.events.REQUEST, ({ payload }) => {
    if (payload.apiName === 'OffsetCommit') {
      if (measuring) hops.offsetCommitRtt.push(payload.duration);
    }
    else if (payload.apiName === 'Fetch') lastFetchDone = performance.now();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value.toString();
      if (value.startsWith('w')) return;
      hops.fetchResponseToHandler.push(performance.now() - lastFetchDone);
      record(value);
    },
  });
} else {
  const { Redis } = await import('ioredis');
  const redis = new Redis({ port: Number(port) });
  let running = true;
  stop = async () => {
    running = false;
    redis.disconnect();
  };
  let last = '$';
  process.stdout.write('ready\n');
  while (running) {
    const res = await redis.xread('COUNT', 10_000, 'BLOCK', 200, 'STREAMS', topic, last).catch(() => null);
    if (!res) continue;
    for (const [id, fields] of res[0][1]) {
      last = id;
      record(fields[1]);
    }
  }
}
