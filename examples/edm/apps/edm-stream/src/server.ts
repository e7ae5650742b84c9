/**
 * edm-stream: consumes both UI topics (group edm-stream) and pushes every event to browsers over Socket.io
 * (event "events", an array per flush), at /socket.io through the gateway. Also serves Socket.io's own browser
 * client at /socket.io/socket.io.js, so the dashboard needs no CDN.
 */
import { Kafka, logLevel } from 'kafkajs';
import { noDelaySocket } from '../../../shared/kafka-socket.js';
import { internalCheck } from '@spaceport/internal-auth';
import { intSetting, kafkaBrokers, port } from '../../../shared/env.js';
import { toStreamEvent, traceOf, type StreamEvent } from './fanout.js';
import { createStreamServer } from './io-server.js';
import { runtimeStats } from '../../../shared/runtime-stats.js';

export const TOPICS = ['edm-ui-click', 'edm-ui-pageload'];
const log = (line: string) => console.log(line);

// At most one Socket.io broadcast per EDM_STREAM_FLUSH_MS under load (see Fanout).
const flushMs = intSetting('EDM_STREAM_FLUSH_MS', process.env.EDM_STREAM_FLUSH_MS, 16, 0, 1000);
const { http, io, fanout } = createStreamServer({ authorized: internalCheck(), hello: { dyno: process.env.DYNO ?? null, topics: TOPICS }, flushMs });

const kafka = new Kafka({ clientId: `edm-stream-${process.env.DYNO ?? 'local'}`, brokers: kafkaBrokers(process.env.KAFKA_URL), logLevel: logLevel.WARN, retry: { retries: 10 }, socketFactory: noDelaySocket });
// Every dyno must see every event to push it to its own browsers: one group per dyno when scaled past one.
const groupId = process.env.EDM_STREAM_GROUP ?? 'edm-stream';
// A fetch returns as soon as any durable event is there (the broker wakes it when its fsync lands), so an event
// waits for no timer; under load one fetch still carries every event of a broker flush. When quiet it long-polls
// for up to 500 ms. Config vars EDM_STREAM_MIN_BYTES and EDM_STREAM_MAX_WAIT_MS change them (the benchmark's A/B).
const consumer = kafka.consumer({
  groupId,
  minBytes: intSetting('EDM_STREAM_MIN_BYTES', process.env.EDM_STREAM_MIN_BYTES, 1, 1, 1024 * 1024),
  maxWaitTimeInMs: intSetting('EDM_STREAM_MAX_WAIT_MS', process.env.EDM_STREAM_MAX_WAIT_MS, 500, 0, 5000),
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 1_000,
  allowAutoTopicCreation: false,
});

// Loopback only: the gateway and the internal router reach the dyno there, and nothing off this machine should.
http.listen(port(process.env.PORT), '127.0.0.1', () => log(`edm-stream listening on ${port(process.env.PORT)} (Socket.io at /socket.io)`));
await consumer.connect();
// Live view: a new group starts at the end of the topics; a restarted one resumes where it left off.
await consumer.subscribe({ topics: TOPICS, fromBeginning: false });
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => log(`group ${groupId}: assigned ${JSON.stringify(payload.memberAssignment)}`));
await consumer.run({
  eachBatch: async ({ batch }) => {
    const fetchedAt = Date.now();
    const events: StreamEvent[] = [];
    for (const m of batch.messages) {
      const e = toStreamEvent(batch.topic, batch.partition, m.offset, m.value);
      if (!e) continue;
      const trace = traceOf(m.headers, fetchedAt);
      if (trace) e.trace = trace;
      events.push(e);
    }
    fanout.push(events);
  },
});

let lastSent = 0;
let lastFrames = 0;
const runtime = runtimeStats();
setInterval(() => {
  const line = runtime();
  if (fanout.sent !== lastSent) {
    log(`pushed ${fanout.sent - lastSent} events in ${fanout.frames - lastFrames} broadcasts to ${io.engine.clientsCount} browsers in the last 10s`);
    log(`runtime: ${line}`);
  }
  lastSent = fanout.sent;
  lastFrames = fanout.frames;
}, 10_000).unref();

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: leaving the consumer group, closing sockets`);
  await consumer.disconnect().catch(() => {});
  // Browsers reconnect (to another dyno, or to this app once it is back).
  io.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
