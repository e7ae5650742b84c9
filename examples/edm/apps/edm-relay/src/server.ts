/** edm-relay: takes UI events over HTTP and produces them to the event log (edm-ui-click, edm-ui-pageload). */
import { createServer } from 'node:http';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { noDelaySocket } from '../../../shared/kafka-socket.js';
import { internalCheck } from '@spaceport/internal-auth';
import { ProduceBatcher } from './batcher.js';
import { runtimeStats } from '../../../shared/runtime-stats.js';
import { intSetting, kafkaBrokers, port } from '../../../shared/env.js';
import { createHandler } from './handler.js';
import { topicOf } from './validate.js';

const log = (line: string) => console.log(line);
const kafka = new Kafka({ clientId: 'edm-relay', brokers: kafkaBrokers(process.env.KAFKA_URL), logLevel: logLevel.WARN, retry: { retries: 10 }, socketFactory: noDelaySocket });
const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
let connected = false;
let produced = 0;
/** Broker acknowledgement times of the last 10 s, ms, for the periodic log line. */
let ackTimes: number[] = [];

/**
 * Produce calls awaiting the broker's acknowledgement at once (config var EDM_RELAY_MAX_IN_FLIGHT). The broker
 * group-commits, so a batch sent while another is being fsynced joins the next flush: with 4 in flight, events rarely
 * wait in the relay for a slot and then for one more flush.
 */
const MAX_IN_FLIGHT = intSetting('EDM_RELAY_MAX_IN_FLIGHT', process.env.EDM_RELAY_MAX_IN_FLIGHT, 4, 1, 64);
const batcher = new ProduceBatcher(async (messages) => {
  const sentAt = String(Date.now());
  const byTopic = new Map<string, { key: string; value: string; timestamp: string; headers?: Record<string, string> }[]>();
  for (const m of messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push(m.headers ? { key: m.key, value: m.value, timestamp: m.timestamp, headers: { ...m.headers, 'edm-sent': sentAt } } : { key: m.key, value: m.value, timestamp: m.timestamp });
  }
  // acks -1: the answer comes once every in-sync replica has the batch, the only ack worth a 202.
  const started = performance.now();
  await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
  ackTimes.push(performance.now() - started);
  produced += messages.length;
}, 5000, MAX_IN_FLIGHT);

const server = createServer(
  createHandler({
    authorized: internalCheck(),
    ready: () => connected,
    log,
    produce: (events, trace) => {
      // Traced requests carry their stamps to the consumers in a record header, never in the event itself.
      const headers = trace ? { 'edm-trace': `${trace.gateway},${trace.relay},${trace.body}` } : undefined;
      return batcher.produce(
        events.map((e) => ({ topic: topicOf(e.type), key: e.product, value: JSON.stringify(e), timestamp: String(e.relayedAt), ...(headers ? { headers } : {}) })),
      );
    },
  }),
);
server.keepAliveTimeout = 65_000;

await producer.connect();
connected = true;
// Connections from the gateway, for the log line: a burst of new ones means its keep-alive pool is churning.
let opened = 0;
server.on('connection', () => opened++);
// A deep accept queue: when a burst of new connections meets a busy event loop, the kernel holds them instead of
// dropping SYNs (which a client retries only after 1 s, 3 s, 7 s).
// Loopback only: the gateway and the internal router reach the dyno there, and nothing off this machine should.
server.listen({ port: port(process.env.PORT), host: '127.0.0.1', backlog: 4096 }, () => log(`edm-relay listening on ${port(process.env.PORT)}, producing to ${process.env.KAFKA_URL}`));

const runtime = runtimeStats();
const stats = setInterval(() => {
  const busy = produced > 0;
  if (busy) {
    const t = ackTimes.sort((a, b) => a - b);
    const p = (q: number) => Math.round(t[Math.min(t.length - 1, Math.floor(q * t.length))]!);
    log(`produced ${produced} events in the last 10s in ${t.length} batches; broker ack p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`);
  }
  const line = runtime();
  const newConnections = opened;
  opened = 0;
  if (busy) server.getConnections((_e, open) => log(`runtime: ${line}; connections opened ${newConnections}, open ${open}`));
  produced = 0;
  ackTimes = [];
}, 10_000);
stats.unref();

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing in-flight requests`);
  // Stop accepting, let in-flight requests get their ack, then leave the event log cleanly.
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Keep-alive connections that stay busy past the grace get cut; their requests were answered by then.
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
  while (batcher.pending > 0) await new Promise((r) => setTimeout(r, 10));
  await producer.disconnect();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
