/**
 * The router's request path: route, run plugins, pick a dyno, forward with pooled keep-alive sockets,
 * stream the answer back, retry where it is safe, and log one Heroku-style line per request.
 */
import { now } from '../clock.js';
import type { CompiledGateway } from '../compile.js';
import type { PluginLogger } from '../plugins/types.js';
import type { ClientConn } from '../server/client-conn.js';
import type { RequestHead } from '../server/request-head.js';
import { Exchange } from './exchange.js';
import { H10, H11, H12, H13, H14, H18, H20, H21, H27, headerLines, sendJson, sendRouterError, type RouterError } from './errors.js';
import { onClientBody, onClientBodyEnd, sendBody } from './request-body.js';
import { buildRequestHeaders, readRequestFacts, requestHead, responseHeaderLines } from './headers.js';
import { nextRequestId } from './request-id.js';
import { runAccess, runLog, runResponse } from './phases.js';
import { formatRouterLine, type LogBatcher } from './router-log.js';
import { SlotList } from '../slot-list.js';
import { sendNoRoute } from '../no-route-page.js';
import { BENCH_MS, type UpstreamGroup } from './upstream.js';

/** What the request path needs from its worker. */
export interface RouterContext {
  current(): CompiledGateway;
  logs: LogBatcher;
  logger: PluginLogger;
  counters: { requests: number; errors: Record<string, number> };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNABORTED']);

/** Entry point for a request on a listener (`internal`: one of the internal router's). */
export function handleRequest(rc: RouterContext, client: ClientConn, req: RequestHead): void {
  const gw = rc.current();
  const port = client.port;
  const ex = new Exchange(req, client, port, rc.logger);
  ex.rc = rc;
  const facts = readRequestFacts(ex);
  if (ex.requestId === '') ex.requestId = nextRequestId();
  const match = client.internal ? internalMatch(gw, port, ex) : gw.table.match(ex.host, ex.path, ex.method, req);
  if (match === undefined) {
    ex.dyno = '';
    ex.status = 404;
    sendNoRoute(client, ex, gw);
    return;
  }
  ex.value = match.value;
  ex.route = match.value.routeName;
  ex.service = match.value.service.entity.name;
  const svc = match.value.service;
  ex.upstreamPath = svc.pathPrefix + match.strippedPath;
  const key = gw.config.internalApiKey;
  const chain = match.value.plugins;
  if (chain.length === 0) return forward(ex, key, facts.xff, facts.via);
  const pending = runAccess(ex, chain, match.value.consumerPlugins);
  if (pending === undefined) afterAccess(ex, key, facts.xff, facts.via);
  else
    pending.then(
      () => afterAccess(ex, key, facts.xff, facts.via),
      (err: Error) => {
        rc.logger.warn(`plugin error: ${err.message}`);
        ex.exit = { status: 500, body: { message: 'An unexpected error occurred' }, headers: undefined };
        afterAccess(ex, key, facts.xff, facts.via);
      },
    );
}

function internalMatch(gw: CompiledGateway, port: number, ex: Exchange) {
  const value = gw.internal.get(port);
  return value === undefined ? undefined : { value, route: undefined, strippedPath: ex.path };
}

function afterAccess(ex: Exchange, key: string, xff: string | undefined, via: string | undefined): void {
  // The client may have gone while a plugin was still deciding.
  if (ex.done) return;
  if (ex.exit === undefined) return forward(ex, key, xff, via);
  const e = ex.exit;
  ex.status = e.status;
  ex.dyno = '';
  // Plugin headers set so far, then the exit's own (which win over a same-named one).
  let headers: Record<string, string> | undefined = e.headers;
  const edits = ex.resEdits;
  if (edits !== null) {
    headers = {};
    const own = new Set(Object.keys(e.headers ?? {}).map((k) => k.toLowerCase()));
    for (let i = 0; i < edits.names.length; i++) if (edits.values[i] !== null && !own.has(edits.names[i]!)) headers[edits.names[i]!] = edits.values[i]!;
    Object.assign(headers, e.headers);
  }
  if (Buffer.isBuffer(e.body)) ex.client.respond(ex, e.status, headerLines(headers), e.body);
  else sendJson(ex.client, ex, e.status, e.body, headers);
}

function forward(ex: Exchange, key: string, xff: string | undefined, via: string | undefined): void {
  // The whole body may have arrived while an asynchronous plugin was deciding.
  if (ex.bodyLimit >= 0 && ex.bodyTotal > ex.bodyLimit) return bodyTooLarge(ex);
  ex.outHeaders = buildRequestHeaders(ex, key, xff, via);
  attempt(ex);
}

/** Exchanges waiting on an upstream, checked against their read deadline by one timer per worker. */
const inFlight = new SlotList<Exchange>();
setInterval(sweepDeadlines, 100).unref();

function sweepDeadlines(): void {
  const now = Date.now();
  // Backwards: removing entry i moves an already visited one into its place.
  const items = inFlight.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const ex = items[i];
    if (ex === undefined || ex.deadline > now) continue;
    if (ex.queued) {
      // Waited queue_timeout for a connection under max_conns: Heroku's "backlog too deep".
      ex.queued = false;
      inFlight.remove(ex);
      fail(ex, H11);
      continue;
    }
    release(ex);
    const conn = ex.conn;
    ex.conn = undefined;
    conn?.destroy();
    if (ex.upHead !== undefined) {
      ex.error = H18;
      ex.client.destroy();
    } else fail(ex, H12);
  }
}

/** Sends the request to a dyno; called again for a retry. */
function attempt(ex: Exchange): void {
  if (ex.done) return;
  const svc = ex.compiledService;
  const lb = svc.entity.load_balancing;
  const picked = svc.group.pick(lb, ex.member);
  if (typeof picked === 'string') {
    if (picked === 'starting' && ex.elapsed() < svc.entity.connect_timeout) {
      // A dyno is booting (a restart, a scale-up): wait for it instead of failing the request.
      setTimeout(attempt, 50, ex);
      return;
    }
    return fail(ex, picked === 'crashed' ? H10 : picked === 'refused' ? H21 : picked === 'starting' ? H20 : H14);
  }
  let m = picked;
  if (ex.attempts !== 0 && m.benchedUntil > Date.now() && !ex.backedOff && ex.elapsed() < svc.entity.connect_timeout) {
    // A retry on a benched member (panic mode): back off a little (50 ms, 100 ms, ...), so a dyno table that
    // is about to change (a replacement coming up during a rolling restart) can reach this worker first.
    ex.backedOff = true;
    setTimeout(attempt, 50 * ex.attempts, ex);
    return;
  }
  const cap = svc.entity.max_conns;
  if (cap !== undefined && m.active >= cap) {
    // Opt-in connection cap: another dyno below it, or wait in the group's queue (FIFO) for a free connection.
    const free = svc.group.pickBelow(cap, Date.now());
    if (free === undefined) return enqueue(ex, svc.group, svc.entity.queue_timeout ?? 10_000);
    m = free;
  }
  ex.backedOff = false;
  ex.member = m;
  ex.dyno = m.dyno;
  ex.attempts++;
  const host = !ex.value!.preserveHost || ex.host === '' ? (svc.upstreamHost ?? `${m.host}:${m.port}`) : ex.host;
  const path = ex.rawQuery === '' ? ex.upstreamPath : `${ex.upstreamPath}?${ex.rawQuery}`;
  const conn = m.pool.acquire();
  ex.conn = conn;
  ex.sentAt = now();
  ex.deadline = ex.sentAt + svc.entity.read_timeout;
  inFlight.add(ex);
  m.active++;
  conn.start(ex, requestHead(ex.method, path, host, ex.outHeaders!), ex.method === 'HEAD');
  sendBody(ex, conn);
}

function enqueue(ex: Exchange, g: UpstreamGroup, timeout: number): void {
  g.enqueue(ex);
  ex.deadline = Date.now() + timeout;
  inFlight.add(ex);
}

/** Hands freed connections to the oldest waiting requests (scheduled when a request of a group with waiters ends). */
function drain(g: UpstreamGroup): void {
  g.draining = false;
  const now = Date.now();
  for (let ex = g.nextWaiter(now); ex !== undefined; ex = g.nextWaiter(now)) attempt(ex as Exchange);
}

/**
 * A streamed body went past a plugin's limit (request-size-limiting without Content-Length): the upstream
 * request is cut, and the client gets 413 and a closed connection (the rest of its body cannot be skipped
 * safely), or only the closed connection when the upstream's answer had already started.
 */
function bodyTooLarge(ex: Exchange): void {
  ex.bodyLimit = -1;
  ex.body = null;
  ex.early = null;
  if (ex.done) return;
  const conn = ex.conn;
  if (conn !== undefined) {
    release(ex);
    ex.conn = undefined;
    conn.destroy();
  }
  if (ex.upHead !== undefined) {
    ex.client.destroy();
    return;
  }
  ex.status = 413;
  ex.client.closeAfterResponse(ex);
  sendJson(ex.client, ex, 413, { message: 'Request size limit exceeded' });
}

function release(ex: Exchange): void {
  if (ex.member !== undefined && ex.conn !== undefined) {
    ex.member.active--;
    const g = ex.compiledService.group;
    if (g.waiting.length !== 0 && !g.draining) {
      // After the current event: the connection this request used is back in its pool by then.
      g.draining = true;
      queueMicrotask(() => drain(g));
    }
  }
  inFlight.remove(ex);
}

Exchange.events = {
  onHead(ex, head) {
    ex.upHead = head;
    ex.respondedAt = now();
    ex.deadline = ex.respondedAt + ex.compiledService.entity.read_timeout;
    ex.status = head.status;
    const chain = ex.value!.plugins;
    if (chain.length !== 0) runResponse(ex, chain);
    if (ex.done) return;
    if (head.contentLength >= 0) ex.bytes = head.contentLength;
    // A plugin that removed Content-Length turns the answer into a streamed (chunked) one.
    const length = ex.resEdits !== null && ex.resEdits.get('content-length') === null ? -1 : head.contentLength;
    ex.client.start(ex, ex.status, responseHeaderLines(ex, head, ex.respondedAt), length);
  },
  onBody(ex, chunk) {
    const cl = ex.upHead!.contentLength;
    ex.received += chunk.length;
    if (cl < 0) ex.bytes += chunk.length;
    if (ex.collectors !== undefined) {
      const list = (ex.shared.get('__body') as Buffer[] | undefined) ?? [];
      // Borrowed bytes (see ParserSink.onBody): kept, so copied.
      list.push(Buffer.from(chunk));
      ex.shared.set('__body', list);
    }
    if (ex.done) return;
    if (ex.received === cl && ex.collectors === undefined) {
      // The last bytes of a sized body: head and body leave in one write.
      ex.resEnded = true;
      ex.client.end(ex, chunk);
      return;
    }
    ex.deadline = now() + ex.compiledService.entity.read_timeout;
    if (!ex.client.write(ex, chunk) && ex.conn !== undefined) {
      ex.upPaused = true;
      ex.conn.socket.pause();
    }
  },
  onFlush(ex) {
    if (!ex.done) ex.client.flushHead(ex);
  },
  onEnd(ex) {
    release(ex);
    ex.conn = undefined;
    if (!ex.done && !ex.resEnded) {
      ex.resEnded = true;
      ex.client.end(ex);
    }
    if (ex.collectors !== undefined) {
      const body = Buffer.concat((ex.shared.get('__body') as Buffer[] | undefined) ?? []);
      for (const c of ex.collectors) c(body);
    }
  },
  onConnError(ex, err, connected, reused) {
    release(ex);
    ex.conn = undefined;
    if (ex.done || ex.error !== undefined) return;
    ex.connErr = err.code ?? '';
    if (ex.upHead !== undefined) {
      // The answer had started: the client's response is cut short.
      ex.error = H18;
      ex.client.destroy();
      return;
    }
    const svc = ex.compiledService;
    const m = ex.member!;
    const connectFailed = !connected && !reused && (err.code === undefined || CONNECT_ERRORS.has(err.code));
    if (connectFailed) m.benchedUntil = Date.now() + BENCH_MS;
    // A reused socket that failed before any answer was most likely closed by the upstream (a dyno told to
    // stop, a restart, its keep-alive timeout): its other idle sockets are as old, so the retry must not
    // spend itself on them.
    else if (connected && reused) m.pool.destroy();
    const replayable = ex.body !== null;
    const retry = ex.attempts <= svc.entity.retries && replayable && (connectFailed || IDEMPOTENT.has(ex.method));
    if (retry) return attempt(ex);
    fail(ex, connectFailed ? H21 : H13);
  },
  onClientBody: (ex, chunk) => onClientBody(ex, chunk, bodyTooLarge),
  onClientBodyEnd,
  onWritable(ex) {
    if (ex.upPaused) {
      ex.upPaused = false;
      ex.conn?.socket.resume();
    }
  },
  onDone,
};

function fail(ex: Exchange, err: RouterError): void {
  ex.error = err;
  ex.status = err.status;
  sendRouterError(ex.client, ex, err, ex.accept, ex.requestId);
}

/** The response was written, or the client went away first (`aborted`): one router line, log plugins. */
function onDone(ex: Exchange, aborted: boolean): void {
  if (ex.done) return;
  ex.done = true;
  const rc = ex.rc as RouterContext;
  if (ex.queued) {
    ex.queued = false;
    inFlight.remove(ex);
  }
  if (aborted) {
    // The client went away before the response was complete.
    if (ex.error === undefined) {
      ex.error = H27;
      ex.status = 499;
    }
    if (ex.conn !== undefined) {
      const conn = ex.conn;
      release(ex);
      ex.conn = undefined;
      conn.destroy();
    }
  }
  if (ex.value !== undefined && ex.value.plugins.length !== 0) runLog(ex, ex.value.plugins);
  rc.counters.requests++;
  if (ex.error !== undefined) rc.counters.errors[ex.error.code] = (rc.counters.errors[ex.error.code] ?? 0) + 1;
  const t = now();
  const connect = (ex.sentAt || t) - ex.start;
  const service = ex.sentAt === 0 ? 0 : (ex.respondedAt || t) - ex.sentAt;
  rc.logs.push(
    ex.value?.service.logApp ?? '',
    formatRouterLine({
      method: ex.method,
      path: ex.path,
      host: ex.host,
      requestId: ex.requestId,
      fwd: ex.ip,
      dyno: ex.dyno || '',
      connect,
      service,
      status: ex.status,
      bytes: ex.bytes,
      app: '',
      error: ex.error,
      err: ex.error === undefined ? '' : ex.connErr,
    }),
  );
}
