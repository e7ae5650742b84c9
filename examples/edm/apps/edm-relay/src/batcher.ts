/**
 * Groups the events of concurrent requests into few produce calls, the way a database groups commits: while
 * `maxInFlight` sends await the broker's acknowledgement, new events wait in the queue, and the next send takes all
 * of them. Under load batches grow instead of requests queueing one by one behind the broker's fsync; when idle an
 * event is sent on the next event-loop turn. Each request still learns whether its own events were acknowledged.
 */
export interface OutMessage {
  topic: string;
  key: string;
  value: string;
  timestamp: string;
  /** Kafka record headers (the benchmark's trace stamps travel here, outside the event itself). */
  headers?: Record<string, string>;
}

/** When the batch a request travelled in went to the broker and came back acknowledged, epoch ms. */
export interface BatchTiming {
  sentAt: number;
  ackedAt: number;
}

/** Sends one batch and resolves once the broker acknowledged all of it (acks -1). */
export type SendBatch = (messages: OutMessage[]) => Promise<void>;

interface Waiter {
  count: number;
  resolve: (t: BatchTiming) => void;
  reject: (e: unknown) => void;
}

export class ProduceBatcher {
  private queue: OutMessage[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private inflight = 0;

  constructor(
    private readonly send: SendBatch,
    /** A batch never holds more messages than this; the rest waits for the next one. */
    private readonly maxBatch = 5000,
    /** Produce calls awaiting their acknowledgement at once (the relay passes its EDM_RELAY_MAX_IN_FLIGHT). */
    private readonly maxInFlight = 2,
  ) {}

  /** Resolves when every message was acknowledged; rejects if the batch they travelled in failed. */
  produce(messages: OutMessage[]): Promise<BatchTiming> {
    return new Promise((resolve, reject) => {
      this.queue.push(...messages);
      this.waiters.push({ count: messages.length, resolve, reject });
      this.schedule();
    });
  }

  /** Messages queued or awaiting acknowledgement (for a graceful stop). */
  get pending(): number {
    return this.inflight + this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inflight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // One turn of the event loop lets the requests that arrived together share the send.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inflight >= this.maxInFlight || this.queue.length === 0) return;
    // Whole requests only: a request's events travel in one batch, so it gets one answer.
    let count = 0;
    let n = 0;
    while (n < this.waiters.length && (count === 0 || count + this.waiters[n]!.count <= this.maxBatch)) count += this.waiters[n++]!.count;
    const batch = this.queue.splice(0, count);
    const waiters = this.waiters.splice(0, n);
    this.inflight++;
    const sentAt = Date.now();
    this.send(batch).then(
      () => {
        this.inflight--;
        const timing = { sentAt, ackedAt: Date.now() };
        for (const w of waiters) w.resolve(timing);
        this.schedule();
      },
      (e: unknown) => {
        this.inflight--;
        for (const w of waiters) w.reject(e);
        this.schedule();
      },
    );
    this.schedule();
  }
}
