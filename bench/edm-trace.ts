/**
 * bench/edm-trace.ts: where an edm event's click-to-dashboard time goes, hop by hop. Every stamp is Date.now() of a
 * process on this one machine (one wall clock), so differences between processes are comparable to within a
 * millisecond of rounding; checkClock measures the browser's offset to confirm it.
 */
import type { Page } from 'playwright-core';

/** What the load generator knows of one request (epoch ms; NaN until known). */
export interface SentRequest {
  /** When the open-loop schedule meant to send it: the event's `at`. */
  intended: number;
  /** When the request was handed to the OS (after any wait for a free socket). */
  written: number;
  /** When the 202 (or an error) was read. */
  answered: number;
  /** The relay's stamps from the 202: gateway took it, relay began, body read, batch sent, batch acknowledged. */
  trace?: { gateway: number; relay: number; body: number; sent: number; acked: number };
}

/** A traced event as the dashboard received it: [session, at, gateway, relay, body, sent, fetched, emitted, received]. */
export type BrowserTrace = [string, number, number, number, number, number, number, number, number];

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  n: number;
}

export function percentiles(values: number[]): Percentiles {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN);
  const r = (v: number) => Math.round(v * 10) / 10;
  return { p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), max: r(s[s.length - 1] ?? NaN), n: s.length };
}

/** The dashboard path's hops, in order; their sum per event is `total` (intended send → the browser has it). */
export const HOPS = [
  ['generator_queue', 'intended send time → request written (generator timer lag, wait for a free socket)'],
  ['client_to_gateway', 'written → the gateway took the request (X-Request-Start)'],
  ['gateway_to_relay', 'gateway took it → the relay handler began (routing, plugins, upstream pool, relay accept)'],
  ['relay_body', 'relay handler began → body read and validated'],
  ['relay_queue', 'validated → its produce batch was sent (batcher wait: at most 2 batches in flight)'],
  ['broker_to_consumer', 'batch sent → edm-stream got the fetch holding it (produce, append, fetch wait, decode)'],
  ['stream_emit', 'edm-stream got the fetch → Socket.io emit (coalescing within one event-loop turn)'],
  ['emit_to_browser', 'emit → the dashboard handled the frame (encode, gateway WebSocket proxy, browser)'],
] as const;

/** Per-hop percentiles for every traced event the browser received, joined with the generator's record by session. */
export function hopBreakdown(browser: BrowserTrace[], sent: SentRequest[]): Record<string, Percentiles & { what?: string }> {
  const cols: Record<string, number[]> = Object.fromEntries([...HOPS.map(([k]) => k), 'total', 'broker_ack', 'ack_to_answer'].map((k) => [k, []]));
  for (const [session, at, gateway, relay, body, sentAt, fetched, emitted, received] of browser) {
    const g = sent[Number(session.slice(1))];
    const written = g?.written ?? NaN;
    const v = [written - at, gateway - written, relay - gateway, body - relay, sentAt - body, fetched - sentAt, emitted - fetched, received - emitted];
    HOPS.forEach(([k], i) => cols[k]!.push(v[i]!));
    cols.total!.push(received - at);
  }
  // The 202 side: how long the broker took to acknowledge, and the way back to the generator.
  for (const g of sent) {
    if (!g.trace) continue;
    cols.broker_ack!.push(g.trace.acked - g.trace.sent);
    cols.ack_to_answer!.push(g.answered - g.trace.acked);
  }
  const what: Record<string, string> = {
    ...Object.fromEntries(HOPS),
    total: 'intended send time → the dashboard handled it (the click-to-dashboard latency)',
    broker_ack: '(202 side) batch sent → broker acknowledged (acks=-1)',
    ack_to_answer: '(202 side) acknowledged → the generator read the 202 (relay → gateway → generator)',
  };
  return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, { ...percentiles(v), what: what[k] }]));
}

/** The browser's Date.now() minus this process's, bounded by the round trip of the evaluate call. */
export async function checkClock(page: Page): Promise<{ offset_ms: number; uncertainty_ms: number }> {
  let best = { offset_ms: NaN, uncertainty_ms: Infinity };
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const b = await page.evaluate(() => Date.now());
    const t1 = Date.now();
    if ((t1 - t0) / 2 < best.uncertainty_ms) best = { offset_ms: b - (t0 + t1) / 2, uncertainty_ms: (t1 - t0) / 2 };
  }
  return best;
}
