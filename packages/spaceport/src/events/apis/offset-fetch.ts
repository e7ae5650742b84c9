/** OffsetFetch v1-4: a partition without a committed offset answers -1 (the consumer then applies its reset policy). */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeOffsetFetchRequest, encodeOffsetFetchResponse, type OffsetFetchResponse } from '../protocol/messages/offset-fetch.js';
import type { ApiModule } from './api.js';

export const offsetFetch: ApiModule = {
  key: ApiKey.OffsetFetch,
  handle(broker, req, body) {
    const r = decodeOffsetFetchRequest(body);
    let wanted = r.topics;
    if (wanted === null) {
      const byTopic = new Map<string, number[]>();
      for (const c of broker.offsets.all(r.groupId)) byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), c.partition]);
      wanted = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    }
    const topics: OffsetFetchResponse['topics'] = wanted.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const c = broker.offsets.get(r.groupId, t.name, p);
        return { partition: p, offset: c?.offset ?? -1, metadata: c?.metadata ?? '', errorCode: ErrorCode.NONE };
      }),
    }));
    return encodeOffsetFetchResponse({ errorCode: ErrorCode.NONE, topics }, req.apiVersion);
  },
};
