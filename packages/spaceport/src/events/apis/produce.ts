/**
 * Produce v0-8 (record batches v2 only). Each partition's record set is validated (sizes, magic 2, CRC-32C) and appended as is, with
 * only baseOffset patched. acks=1/-1 are answered after the group-commit fsync (all but the last byte of the response may go out
 * before it, see connection.ts); acks=0 gets no response.
 */
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeProduceRequest, encodeProduceResponse, type ProducePartitionResponse } from '../protocol/messages/produce.js';
import { checkBatches, type BatchRefusal } from '../storage/batch.js';
import type { Writer } from '../protocol/writer.js';
import type { ApiModule } from './api.js';

const REFUSAL_CODE: Record<BatchRefusal['kind'], ErrorCode> = {
  corrupt: ErrorCode.CORRUPT_MESSAGE,
  'too-large': ErrorCode.MESSAGE_TOO_LARGE,
  'unsupported-format': ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
};

export const produce: ApiModule = {
  key: ApiKey.Produce,
  async handle(broker, req, body) {
    const t0 = performance.now();
    const r = decodeProduceRequest(body, req.apiVersion);
    const badAcks = r.acks !== 0 && r.acks !== 1 && r.acks !== -1;
    const pending: Array<Promise<unknown>> = [];
    let failed = false;
    const topics = r.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((pd) => {
        const out: ProducePartitionResponse = { partition: pd.partition, errorCode: ErrorCode.NONE, baseOffset: -1, logStartOffset: -1 };
        const log = broker.store.partition(t.name, pd.partition);
        if (badAcks) out.errorCode = ErrorCode.INVALID_REQUIRED_ACKS;
        else if (!log) out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (!pd.records) out.errorCode = ErrorCode.CORRUPT_MESSAGE;
        else {
          const check = checkBatches(pd.records, broker.config.maxBatchBytes);
          if ('kind' in check) {
            out.errorCode = REFUSAL_CODE[check.kind];
            out.errorMessage = check.reason;
            broker.log(`produce to ${t.name}-${pd.partition} from ${req.clientId}@${req.clientHost} refused: ${check.reason}`);
          } else {
            try {
              out.baseOffset = log.append(pd.records);
            } catch (err) {
              // Disk full, I/O error, topic deleted under us: this partition fails, the connection stays.
              out.errorCode = ErrorCode.KAFKA_STORAGE_ERROR;
              out.errorMessage = (err as Error).message;
              broker.log(`append to ${t.name}-${pd.partition} failed: ${(err as Error).message}`);
              return out;
            }
            out.logStartOffset = log.logStartOffset;
            pending.push(
              broker.store.flusher.request(log).then((ok) => {
                if (!ok) {
                  out.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
                  failed = true;
                }
              }),
            );
          }
        }
        return out;
      }),
    }));
    broker.produceTimings.record('append', performance.now() - t0);
    if (r.acks === 0) return null;
    let announced: Writer | undefined;
    if (pending.length > 0 && req.announce) {
      // Every field is known now but the fsync's outcome, and a failed fsync only changes an error code (same size):
      // the response can start before the fsync (connection.ts says why and how).
      announced = encodeProduceResponse({ topics }, req.apiVersion);
      req.announce(announced);
    }
    await Promise.all(pending);
    // Once every fsync succeeded the announced response is the answer: encoded once, not again (less garbage per
    // request on the hot path); a failed fsync changed an error code, so that answer is encoded anew.
    const response = announced && !failed ? announced : encodeProduceResponse({ topics }, req.apiVersion);
    broker.produceTimings.record('total', performance.now() - t0);
    return response;
  },
};
