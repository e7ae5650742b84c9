/** DeleteTopics v0-3: closes the partitions, removes the files and the topic's committed offsets. */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeDeleteTopicsRequest, encodeDeleteTopicsResponse } from '../protocol/messages/delete-topics.js';
import type { ApiModule } from './api.js';

export const deleteTopics: ApiModule = {
  key: ApiKey.DeleteTopics,
  handle(broker, req, body) {
    const r = decodeDeleteTopicsRequest(body);
    const topics = r.names.map((name) => {
      const ok = broker.deleteTopic(name);
      if (ok) broker.log(`deleted topic ${name} for ${req.clientId}`);
      return { name, errorCode: ok ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    });
    return encodeDeleteTopicsResponse({ topics }, req.apiVersion);
  },
};
