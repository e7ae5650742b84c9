/**
 * Coalesces events into Socket.io broadcasts: an event after a quiet spell goes out on the next event-loop turn, and
 * under load broadcasts leave at most every `minIntervalMs` (16 ms, a display frame), each carrying everything that
 * arrived meanwhile. Each WebSocket frame costs a browser ~1 ms of CPU across its processes (measured: ~90 → ~140
 * frames/s cost chromium ~5% of a core more), so a busy topic costs at most ~60 frames a second per browser.
 */
export interface StreamEvent {
  id?: string;
  type: 'click' | 'pageload';
  product: string;
  at?: number;
  session?: string;
  relayedAt?: number;
  topic: string;
  partition: number;
  offset: string;
  /**
   * Only on events the benchmark traced (record header `edm-trace`): epoch ms when the gateway took the request, the
   * relay began it, read its body, sent its batch to the broker, this app got the fetch, and emitted it.
   */
  trace?: number[];
}

/** The trace stamps of a record, from its `edm-trace` and `edm-sent` headers, plus when its fetch arrived. */
export function traceOf(headers: Record<string, unknown> | undefined, fetchedAt: number): number[] | undefined {
  const t = headers?.['edm-trace'];
  if (t === undefined) return undefined;
  const stamps = String(t).split(',').map(Number);
  stamps.push(Number(String(headers?.['edm-sent'] ?? '0')), fetchedAt);
  return stamps;
}

/** Parses one message value; undefined for anything that is not an event. */
export function toStreamEvent(topic: string, partition: number, offset: string, value: Buffer | null): StreamEvent | undefined {
  if (!value) return undefined;
  try {
    const v = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
    if ((v.type !== 'click' && v.type !== 'pageload') || typeof v.product !== 'string') return undefined;
    return { ...(v as Omit<StreamEvent, 'topic' | 'partition' | 'offset'>), topic, partition, offset };
  } catch {
    return undefined;
  }
}

export class Fanout {
  private pending: StreamEvent[] = [];
  private scheduled = false;
  private lastFlush = 0;
  sent = 0;
  frames = 0;

  constructor(
    private readonly broadcast: (events: StreamEvent[]) => void,
    private readonly minIntervalMs = 16,
  ) {}

  push(events: StreamEvent[]): void {
    if (events.length === 0) return;
    this.pending.push(...events);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlush + this.minIntervalMs - Date.now();
    if (wait > 0) setTimeout(() => this.flush(), wait);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    this.lastFlush = Date.now();
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.sent += batch.length;
    this.frames++;
    const now = Date.now();
    for (const e of batch) e.trace?.push(now);
    this.broadcast(batch);
  }
}
