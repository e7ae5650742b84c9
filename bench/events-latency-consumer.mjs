// The latency benchmark's consumer, in its own process as a real consuming app would be (bench/events.ts).
// argv: brokerPort topic expectedMessages. Prints `ready` once it joined its group, then one JSON line with the
// latency summary (send → eachMessage, ms): {"p50","p99","max","samples"}.
import { Kafka, logLevel } from 'kafkajs';

const [port, topic, expected] = process.argv.slice(2);
const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], clientId: 'bench-latency-consumer', logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `bench-${topic}`, maxWaitTimeInMs: 1000 });
const samples = [];
consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: false });
await consumer.run({
  eachMessage: async ({ message }) => {
    samples.push(performance.now() + performance.timeOrigin - Number(message.value.toString()));
    if (samples.length === Number(expected)) finish();
  },
});
const finish = () => {
  const sorted = samples.sort((a, b) => a - b);
  const q = (p) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) * 100) / 100;
  process.stdout.write(JSON.stringify({ p50: q(0.5), p99: q(0.99), max: q(1), samples: sorted.length }) + '\n');
  consumer.disconnect().finally(() => process.exit(0));
};
process.on('SIGTERM', finish);
