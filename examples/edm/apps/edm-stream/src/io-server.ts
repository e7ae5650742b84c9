/** The HTTP + Socket.io side of edm-stream, guarded by the internal key; the Kafka side feeds `fanout`. */
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { Fanout } from './fanout.js';
import { guardServer } from './guard.js';

export interface StreamServer {
  http: HttpServer;
  io: Server;
  fanout: Fanout;
}

export function createStreamServer(opts: { authorized: (req: IncomingMessage) => boolean; hello: Record<string, unknown>; flushMs?: number }): StreamServer {
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const ok = path === '/health';
    const body = JSON.stringify(ok ? { status: 'ok', clients: io.engine.clientsCount } : { error: 'not_found', message: 'this app serves Socket.io at /socket.io' });
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  const io = new Server(http, { path: '/socket.io', serveClient: true, pingInterval: 10_000 });
  // Last, so it wraps the listeners Socket.io just attached.
  guardServer(http, opts.authorized);
  io.on('connection', (socket) => socket.emit('hello', opts.hello));
  const fanout = new Fanout((events) => io.emit('events', events), opts.flushMs);
  return { http, io, fanout };
}
