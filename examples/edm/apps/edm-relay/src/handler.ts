/**
 * The relay's HTTP API. Every request must carry the internal key (it came through the platform's gateway or internal
 * router); an event is answered 202 only after the event log acknowledged it, so a 202 is a promise it is stored.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpError, readJson } from './body.js';
import { validateBody, type EdmEvent, type EventType } from './validate.js';

export interface RelayDeps {
  /** True if the request carries the right X-Internal-API-Key. */
  authorized(req: IncomingMessage): boolean;
  /**
   * Produces the events; resolves once the broker acknowledged every one (with when their batch was sent and
   * acknowledged, if known). `trace` is set when the request asked for trace stamps (see TRACE_HEADER).
   */
  produce(events: EdmEvent[], trace?: RequestTrace): Promise<{ sentAt: number; ackedAt: number } | void>;
  /** True while the producer is connected (for /health). */
  ready(): boolean;
  log(line: string): void;
}

/**
 * A request with `X-Edm-Trace: 1` (the benchmark sends it) gets its hop times back in the 202 and carries them to
 * the consumers in a Kafka record header: where latency goes, measured per event rather than guessed.
 */
export const TRACE_HEADER = 'x-edm-trace';

/** Epoch ms: the gateway took the request (its X-Request-Start), the relay's handler began, the body was read. */
export interface RequestTrace {
  gateway: number;
  relay: number;
  body: number;
}

/** Path → the event type it implies (undefined: the body names it). */
const PRODUCE_PATHS: Record<string, EventType | undefined> = {
  '/events': undefined,
  '/produceClickMessage': 'click',
  '/producePageLoad': 'pageload',
};

export function createHandler(deps: RelayDeps): RequestListener {
  return (req, res) => {
    handle(req, res, deps).catch((e: unknown) => {
      if (e instanceof HttpError) return send(res, e.status, { error: e.code, message: e.message, field: e.field });
      deps.log(`error: ${(e as Error).message}`);
      send(res, 500, { error: 'internal', message: 'the relay failed; try again' });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: RelayDeps): Promise<void> {
  const began = Date.now();
  if (!deps.authorized(req)) {
    // Drain nothing: the connection is closed after a 401 so an unauthenticated body is never read.
    res.setHeader('connection', 'close');
    return send(res, 401, { error: 'unauthorized', message: 'missing or wrong X-Internal-API-Key: call this app through the gateway' });
  }
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
  if (path === '/health') {
    return deps.ready() ? send(res, 200, { status: 'ok' }) : send(res, 503, { status: 'connecting', message: 'not connected to the event log yet' });
  }
  if (!(path in PRODUCE_PATHS)) {
    return send(res, 404, { error: 'not_found', message: `no ${path}: post events to /events, /produceClickMessage or /producePageLoad` });
  }
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, { error: 'method_not_allowed', message: `${req.method} ${path}: use POST with a JSON body` });
  }
  const body = await readJson(req);
  const result = validateBody(body, PRODUCE_PATHS[path]);
  if (!result.ok) {
    const { field, message } = result.error;
    return send(res, 400, { error: 'bad_event', field, message: `${field}: ${message}` });
  }
  const trace: RequestTrace | undefined =
    req.headers[TRACE_HEADER] === '1' ? { gateway: Number(req.headers['x-request-start']) || 0, relay: began, body: result.value[0]!.relayedAt } : undefined;
  let timing: { sentAt: number; ackedAt: number } | void;
  try {
    timing = await deps.produce(result.value, trace);
  } catch (e) {
    deps.log(`produce failed: ${(e as Error).message}`);
    res.setHeader('retry-after', '1');
    return send(res, 503, { error: 'not_acknowledged', message: 'the event log did not acknowledge the events; nothing is promised, retry' });
  }
  const accepted = { accepted: result.value.length, ids: result.value.map((e) => e.id) };
  send(res, 202, trace && timing ? { ...accepted, trace: { ...trace, sent: timing.sentAt, acked: timing.ackedAt } } : accepted);
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
