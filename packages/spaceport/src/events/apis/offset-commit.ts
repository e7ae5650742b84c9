/** OffsetCommit v2-5: checked against the member's generation, acknowledged once written (fsynced in the background: offset-store.ts). */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse } from '../protocol/messages/offset-commit.js';
import type { ApiModule } from './api.js';

export const offsetCommit: ApiModule = {
  key: ApiKey.OffsetCommit,
  handle(broker, req, body) {
    const t0 = performance.now();
    const r = decodeOffsetCommitRequest(body, req.apiVersion);
    const groupError = broker.groups.checkCommit(r.groupId, r.memberId, r.generationId);
    const entries: Array<{ topic: string; partition: number; offset: number; metadata: string | null }> = [];
    const topics = r.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        let errorCode: number = groupError;
        if (errorCode === ErrorCode.NONE && !broker.store.partition(t.name, p.partition)) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (errorCode === ErrorCode.NONE) entries.push({ topic: t.name, partition: p.partition, offset: p.offset, metadata: p.metadata });
        return { partition: p.partition, errorCode };
      }),
    }));
    void broker.offsets.commit(r.groupId, entries);
    const out = encodeOffsetCommitResponse({ topics }, req.apiVersion);
    broker.produceTimings.record('commit', performance.now() - t0);
    return out;
  },
};
