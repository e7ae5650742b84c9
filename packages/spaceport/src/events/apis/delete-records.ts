/**
 * DeleteRecords v0-1 (kafkajs admin.deleteTopicRecords, kafka-delete-records.sh): moves a partition's log start
 * up to an offset (-1: the high watermark). Readers no longer see what is below it (a fetch there gets
 * OFFSET_OUT_OF_RANGE and resets), sealed segments wholly below it are deleted, and the new start survives restarts.
 * OFFSET_OUT_OF_RANGE for an offset past the high watermark; an offset below the log start changes nothing.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeDeleteRecordsRequest, encodeDeleteRecordsResponse, type DeleteRecordsResult } from '../protocol/messages/delete-records.js';
import type { ApiModule } from './api.js';

export const deleteRecords: ApiModule = {
  key: ApiKey.DeleteRecords,
  handle(broker, req, body) {
    const r = decodeDeleteRecordsRequest(body);
    const topics: DeleteRecordsResult = r.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ partition, offset }) => {
        const log = broker.store.partition(t.name, partition);
        if (!log) return { partition, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const to = offset === -1 ? log.highWatermark : offset;
        if (to < 0 || to > log.highWatermark) return { partition, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        const before = log.logStartOffset;
        const lowWatermark = log.deleteRecordsBefore(to);
        if (lowWatermark > before) broker.log(`deleted records of ${t.name}-${partition} below offset ${lowWatermark} for ${req.clientId}`);
        return { partition, lowWatermark, errorCode: ErrorCode.NONE };
      }),
    }));
    return encodeDeleteRecordsResponse(topics);
  },
};
