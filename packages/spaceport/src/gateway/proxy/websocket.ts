/**
 * WebSocket (and any HTTP Upgrade) proxying: route and run `access` plugins like a request, then open a
 * socket to a dyno, replay the handshake with the router's headers, and splice the two sockets.
 */
import net, { type Socket } from 'node:net';
import type { ClientConn } from '../server/client-conn.js';
import type { RequestHead } from '../server/request-head.js';
import { reason } from '../server/response-head.js';
import { Exchange } from './exchange.js';
import { H10, H14, H20, H21, jsonAnswer, rawResponse, routerErrorPage, type RouterError } from './errors.js';
import type { RouterContext } from './forward.js';
import { buildRequestHeaders, readRequestFacts } from './headers.js';
import { runAccess } from './phases.js';
import { formatRouterLine } from './router-log.js';
import { BENCH_MS } from './upstream.js';
import { nextRequestId } from './request-id.js';

/** Answers the handshake with a JSON body and closes the socket. */
function refuse(socket: Socket, status: number, body: unknown, headers?: Record<string, string>): void {
  const a = jsonAnswer(body, headers);
  if (socket.writable) socket.end(rawResponse(status, reason(status), a.lines, a.text));
  else socket.destroy();
}

function refuseWith(socket: Socket, err: RouterError, accept: string | undefined, requestId: string): void {
  const page = routerErrorPage(err, accept, requestId);
  if (socket.writable) socket.end(rawResponse(err.status, reason(err.status), `Content-Type: ${page.type}\r\nCache-Control: no-store\r\n`, page.body));
  else socket.destroy();
}

/** An upgrade request, handed over by the HTTP server with its socket and the bytes after the head. */
export function handleUpgrade(rc: RouterContext, client: ClientConn, req: RequestHead, socket: Socket, head: Buffer): void {
  const gw = rc.current();
  const port = client.port;
  const internal = client.internal;
  const ex = new Exchange(req, client, port, rc.logger);
  const facts = readRequestFacts(ex);
  if (ex.requestId === '') ex.requestId = nextRequestId();
  socket.on('error', () => socket.destroy());
  const m = internal ? undefined : gw.table.match(ex.host, ex.path, ex.method, req);
  const value = internal ? gw.internal.get(port) : m?.value;
  const stripped = internal ? ex.path : m?.strippedPath;
  const log = () => {
    rc.counters.requests++;
    rc.logs.push(
      ex.value?.service.logApp ?? '',
      formatRouterLine({ method: ex.method, path: ex.path, host: ex.host, requestId: ex.requestId, fwd: ex.ip, dyno: ex.dyno, connect: ex.sentAt ? ex.sentAt - ex.start : 0, service: ex.sentAt ? Date.now() - ex.sentAt : 0, status: ex.status, bytes: ex.bytes, app: '', error: ex.error }),
    );
  };
  if (value === undefined || stripped === undefined) {
    ex.status = 404;
    refuse(socket, 404, { message: 'no Route matched with those values' });
    log();
    return;
  }
  ex.value = value;
  ex.route = value.routeName;
  ex.service = value.service.entity.name;
  ex.upstreamPath = value.service.pathPrefix + stripped;
  const go = () => {
    if (ex.exit !== undefined) {
      ex.status = ex.exit.status;
      refuse(socket, ex.exit.status, ex.exit.body, ex.exit.headers);
      log();
      return;
    }
    const headers = buildRequestHeaders(ex, gw.config.internalApiKey, facts.xff, facts.via);
    connect(ex, headers, socket, head, log);
  };
  const pending = value.plugins.length ? runAccess(ex, value.plugins, value.consumerPlugins) : undefined;
  if (pending) pending.then(go, () => socket.destroy());
  else go();
}

function connect(ex: Exchange, headers: string, client: Socket, head: Buffer, log: () => void): void {
  const svc = ex.compiledService;
  const picked = svc.group.pick(svc.entity.load_balancing, ex.member);
  if (typeof picked === 'string') {
    ex.error = picked === 'crashed' ? H10 : picked === 'refused' ? H21 : picked === 'starting' ? H20 : H14;
    ex.status = ex.error.status;
    refuseWith(client, ex.error, ex.accept, ex.requestId);
    log();
    return;
  }
  ex.member = picked;
  ex.dyno = picked.dyno;
  ex.attempts++;
  const host = ex.value!.preserveHost && ex.host ? ex.host : (svc.upstreamHost ?? `${picked.host}:${picked.port}`);
  const upstream = net.connect(picked.port, picked.host);
  ex.sentAt = Date.now();
  upstream.once('connect', () => {
    const path = ex.rawQuery === '' ? ex.upstreamPath : `${ex.upstreamPath}?${ex.rawQuery}`;
    const text = `${ex.method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${headers}Connection: Upgrade\r\nUpgrade: ${ex.req.header('upgrade') ?? 'websocket'}\r\n\r\n`;
    upstream.write(text);
    if (head.length) upstream.write(head);
    ex.status = 101;
    upstream.pipe(client);
    client.pipe(upstream);
    picked.active++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      picked.active--;
      ex.bytes = upstream.bytesRead;
      upstream.destroy();
      client.destroy();
      log();
    };
    upstream.on('close', close);
    client.on('close', close);
  });
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    if (ex.status === 101) return;
    picked.benchedUntil = Date.now() + BENCH_MS;
    if (ex.attempts <= svc.entity.retries) return connect(ex, headers, client, head, log);
    ex.error = H21;
    ex.status = 503;
    void err;
    refuseWith(client, H21, ex.accept, ex.requestId);
    log();
  });
}
