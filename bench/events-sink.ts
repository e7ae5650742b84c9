/**
 * The cheapest Kafka endpoint there can be, for bench/events.ts's CEILING row: a measurement of kafkajs's own
 * limit, not a broker. It speaks just enough of the protocol for a kafkajs producer and admin (ApiVersions,
 * Metadata, CreateTopics, Produce) with the broker's own codec, and answers every Produce at once with success,
 * storing nothing: no CRC check, no write, no fsync. What kafkajs reaches against it, no broker can beat.
 * Run: node --import tsx bench/events-sink.ts  (prints "sink listening on 127.0.0.1:<port>"; port 0 unless --port)
 */
import { createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { ApiKey, supportedVersions } from '../packages/spaceport/src/events/protocol/api-keys.js';
import { decodeRequestHeader } from '../packages/spaceport/src/events/protocol/header.js';
import { Reader } from '../packages/spaceport/src/events/protocol/reader.js';
import type { Writer } from '../packages/spaceport/src/events/protocol/writer.js';
import { decodeApiVersionsRequest, encodeApiVersionsResponse } from '../packages/spaceport/src/events/protocol/messages/api-versions.js';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataTopic } from '../packages/spaceport/src/events/protocol/messages/metadata.js';
import { decodeCreateTopicsRequest, encodeCreateTopicsResponse } from '../packages/spaceport/src/events/protocol/messages/create-topics.js';
import { decodeProduceRequest, encodeProduceResponse } from '../packages/spaceport/src/events/protocol/messages/produce.js';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const apiKeys = [...supportedVersions].map(([apiKey, v]) => ({ apiKey, min: v.min, max: v.max })).sort((a, b) => a.apiKey - b.apiKey);
/** Topic → its partitions' next offsets (so answers look like a broker's: increasing base offsets). */
const topics = new Map<string, number[]>();
let port = 0;

const describe = (name: string): MetadataTopic => {
  if (!topics.has(name)) topics.set(name, [0]); // auto-created, 1 partition
  return { errorCode: 0, name, partitions: topics.get(name)!.map((_, partition) => ({ errorCode: 0, partition, leader: 0 })) };
};

function handle(apiKey: number, version: number, r: Reader): Writer | null {
  switch (apiKey) {
    case ApiKey.ApiVersions:
      decodeApiVersionsRequest(r, version);
      return encodeApiVersionsResponse({ errorCode: 0, apiKeys }, version);
    case ApiKey.Metadata: {
      const req = decodeMetadataRequest(r, version);
      const list = (req.topics ?? [...topics.keys()]).map(describe);
      return encodeMetadataResponse({ brokers: [{ nodeId: 0, host: '127.0.0.1', port }], clusterId: 'sink', controllerId: 0, topics: list }, version);
    }
    case ApiKey.CreateTopics: {
      const req = decodeCreateTopicsRequest(r, version);
      for (const t of req.topics) topics.set(t.name, new Array<number>(Math.max(1, t.numPartitions)).fill(0));
      return encodeCreateTopicsResponse({ topics: req.topics.map((t) => ({ name: t.name, errorCode: 0, errorMessage: null })) }, version);
    }
    case ApiKey.Produce: {
      const req = decodeProduceRequest(r, version);
      if (req.acks === 0) return null;
      const res = req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          const offsets = topics.get(t.name) ?? [];
          const baseOffset = offsets[p.partition] ?? 0;
          // lastOffsetDelta + 1 of the (single, uncompressed-or-not) batch: the offsets it would take.
          offsets[p.partition] = baseOffset + (p.records && p.records.length >= 27 ? p.records.readInt32BE(23) + 1 : 0);
          return { partition: p.partition, errorCode: 0, baseOffset, logStartOffset: 0 };
        }),
      }));
      return encodeProduceResponse({ topics: res }, version);
    }
    default:
      throw new Error(`the sink does not answer API key ${apiKey}`);
  }
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  let buf: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    let at = 0;
    const out: Buffer[] = [];
    while (buf.length - at >= 4) {
      const size = buf.readInt32BE(at);
      if (buf.length - at - 4 < size) break;
      const r = new Reader(buf, at + 4, at + 4 + size);
      at += 4 + size;
      const head = decodeRequestHeader(r);
      const body = handle(head.apiKey, head.apiVersion, r);
      if (!body) continue;
      const parts = body.finish();
      const h = Buffer.allocUnsafe(8);
      h.writeInt32BE(body.length + 4, 0);
      h.writeInt32BE(head.correlationId, 4);
      out.push(h, ...parts);
    }
    buf = buf.subarray(at);
    if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
  });
  socket.on('error', () => socket.destroy());
}

const server = createServer(serve).listen(Number(args.port), '127.0.0.1', () => {
  port = (server.address() as { port: number }).port;
  console.log(`sink listening on 127.0.0.1:${port}`);
});
