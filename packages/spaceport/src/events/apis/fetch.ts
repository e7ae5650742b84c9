/**
 * Fetch v4-11: whole stored batches from each partition, long-polling until min_bytes are available or
 * max_wait_ms passes. Data is served up to the high watermark: what has been written to the segment files (see
 * PartitionLog), not only what is fsynced, so a consumer does not wait for the producer's group commit. Fetch
 * sessions (KIP-227) are declined by answering session id 0, which makes clients send full fetches.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeFetchRequest, encodeFetchResponse, type FetchRequest, type FetchResponse } from '../protocol/messages/fetch.js';
import type { Broker } from '../broker.js';
import type { ApiModule } from './api.js';

async function readAll(broker: Broker, f: FetchRequest): Promise<{ res: FetchResponse; bytes: number; errors: boolean }> {
  let remaining = f.maxBytes > 0 ? f.maxBytes : Infinity;
  let bytes = 0;
  let errors = false;
  const topics: FetchResponse['topics'] = [];
  for (const t of f.topics) {
    const partitions: FetchResponse['topics'][number]['partitions'] = [];
    for (const p of t.partitions) {
      const log = broker.store.partition(t.name, p.partition);
      if (!log) {
        errors = true;
        partitions.push({ partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, records: [] });
        continue;
      }
      const hw = log.highWatermark;
      const start = log.logStartOffset;
      if (p.fetchOffset < start || p.fetchOffset > hw) {
        errors = true;
        partitions.push({ partition: p.partition, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: hw, logStartOffset: start, records: [] });
        continue;
      }
      const limit = Math.min(p.partitionMaxBytes, remaining);
      // KIP-74: the first batch of the response is returned whatever its size; a later partition's first batch
      // may exceed partition_max_bytes as long as the response's max_bytes still holds it.
      const firstMax = bytes === 0 ? Infinity : remaining;
      let got: { chunks: Buffer[]; bytes: number } = { chunks: [], bytes: 0 };
      try {
        if (limit > 0 || bytes === 0) got = await log.read(p.fetchOffset, limit, firstMax);
      } catch {
        // The topic was deleted, or retention removed the segment, while we read it.
        errors = true;
        const errorCode = log.closed ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OFFSET_OUT_OF_RANGE;
        partitions.push({ partition: p.partition, errorCode, highWatermark: hw, logStartOffset: log.logStartOffset, records: [] });
        continue;
      }
      bytes += got.bytes;
      remaining -= got.bytes;
      partitions.push({ partition: p.partition, errorCode: ErrorCode.NONE, highWatermark: hw, logStartOffset: start, records: got.chunks });
    }
    topics.push({ name: t.name, partitions });
  }
  return { res: { errorCode: ErrorCode.NONE, sessionId: 0, topics }, bytes, errors };
}

/** Resolves true when any of the fetched partitions gets new data, false after `ms`. */
function waitForData(broker: Broker, f: FetchRequest, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const cancels: Array<() => void> = [];
    const done = (data: boolean) => {
      clearTimeout(timer);
      for (const c of cancels) c();
      resolve(data);
    };
    const timer = setTimeout(() => done(false), ms);
    timer.unref();
    for (const t of f.topics) {
      for (const p of t.partitions) {
        const log = broker.store.partition(t.name, p.partition);
        if (log) cancels.push(log.onData(() => done(true)));
      }
    }
  });
}

export const fetch: ApiModule = {
  key: ApiKey.Fetch,
  async handle(broker, req, body) {
    const f = decodeFetchRequest(body, req.apiVersion);
    const deadline = Date.now() + Math.max(0, f.maxWaitMs);
    let woken = 0;
    for (;;) {
      const { res, bytes, errors } = await readAll(broker, f);
      const left = deadline - Date.now();
      if (errors || bytes >= Math.max(1, f.minBytes) || left <= 0) {
        if (f.sessionId !== 0) res.errorCode = 70; // FETCH_SESSION_ID_NOT_FOUND: we never create sessions
        const out = encodeFetchResponse(res, req.apiVersion);
        // A long-poll answered because data arrived: the broker's part of a live consumer's latency.
        if (woken > 0 && bytes > 0) broker.produceTimings.record('fetch', performance.now() - woken);
        return out;
      }
      if (await waitForData(broker, f, left)) woken = performance.now();
    }
  },
};
