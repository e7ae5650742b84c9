/** ListOffsets v1-3: -1 = the high watermark (latest), -2 = the log start (earliest), else by timestamp. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeListOffsetsRequest, encodeListOffsetsResponse, type ListOffsetsResponse } from '../protocol/messages/list-offsets.js';
import type { ApiModule } from './api.js';

export const listOffsets: ApiModule = {
  key: ApiKey.ListOffsets,
  async handle(broker, req, body) {
    const r = decodeListOffsetsRequest(body, req.apiVersion);
    const topics: ListOffsetsResponse['topics'] = [];
    for (const t of r.topics) {
      const partitions: ListOffsetsResponse['topics'][number]['partitions'] = [];
      for (const p of t.partitions) {
        const log = broker.store.partition(t.name, p.partition);
        if (!log) partitions.push({ partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 });
        else if (p.timestamp === -1) partitions.push({ partition: p.partition, errorCode: ErrorCode.NONE, timestamp: -1, offset: log.highWatermark });
        else if (p.timestamp === -2) partitions.push({ partition: p.partition, errorCode: ErrorCode.NONE, timestamp: -1, offset: log.logStartOffset });
        else {
          const offset = await log.offsetForTime(p.timestamp);
          partitions.push({ partition: p.partition, errorCode: ErrorCode.NONE, timestamp: offset < 0 ? -1 : p.timestamp, offset });
        }
      }
      topics.push({ name: t.name, partitions });
    }
    return encodeListOffsetsResponse({ topics }, req.apiVersion);
  },
};
