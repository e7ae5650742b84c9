/**
 * WebSocket (and any HTTP Upgrade) proxying: route and run `access` plugins like a request, then open a
 * socket to a dyno, replay the handshake with the router's headers, and splice the two sockets.
 */
import { randomUUID } from 'node:crypto';
import { ServerResponse, type IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Exchange } from './exchange.js';
import { H10, H14, H20, H21, sendJson, sendRouterError } from './errors.js';
import type { RouterContext } from './forward.js';
import { buildRequestHeaders, readRequestFacts } from './headers.js';
import { runAccess } from './phases.js';
import { formatRouterLine } from './router-log.js';
import { BENCH_MS } from './upstream.js';

export function handleUpgrade(rc: RouterContext, req: IncomingMessage, socket: Duplex, head: Buffer, port: number, internal: boolean): void {
  const gw = rc.current();
  const res = new ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.shouldKeepAlive = false;
  const ex = new Exchange(req, res, port, rc.logger);
  const facts = readRequestFacts(ex);
  if (ex.requestId === '') ex.requestId = randomUUID();
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
    sendJson(res, 404, { message: 'no Route matched with those values' });
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
      sendJson(res, ex.exit.status, ex.exit.body, ex.exit.headers);
      log();
      return;
    }
    const headers = buildRequestHeaders(ex, gw.config.internalApiKey, facts.xff, facts.via);
    connect(ex, headers, socket, head, res, log);
  };
  const pending = value.plugins.length ? runAccess(ex, value.plugins, value.consumerPlugins) : undefined;
  if (pending) pending.then(go, () => socket.destroy());
  else go();
}

function connect(ex: Exchange, headers: string, client: Duplex, head: Buffer, res: ServerResponse, log: () => void): void {
  const svc = ex.compiledService;
  const picked = svc.group.pick(svc.entity.load_balancing, ex.member);
  if (typeof picked === 'string') {
    ex.error = picked === 'crashed' ? H10 : picked === 'refused' ? H21 : picked === 'starting' ? H20 : H14;
    ex.status = ex.error.status;
    sendRouterError(res, ex.error, ex.accept, ex.requestId);
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
    res.detachSocket(client as Socket);
    const path = ex.rawQuery === '' ? ex.upstreamPath : `${ex.upstreamPath}?${ex.rawQuery}`;
    const text = `${ex.method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${headers}Connection: Upgrade\r\nUpgrade: ${ex.req.headers.upgrade ?? 'websocket'}\r\n\r\n`;
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
    if (ex.attempts <= svc.entity.retries) return connect(ex, headers, client, head, res, log);
    ex.error = H21;
    ex.status = 503;
    void err;
    sendRouterError(res, H21, ex.accept, ex.requestId);
    log();
  });
}
