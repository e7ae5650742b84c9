/**
 * The gateway's HTTP/1.1 server for clients: a net.Server whose connections are ClientConns (our parser
 * and response framing, no node:http objects per request). Works under node:cluster like any net.Server.
 * One timer per process checks every connection: a request head slower than HEAD_TIMEOUT_MS gets 408, a
 * keep-alive connection idle past KEEP_ALIVE_MS closes.
 */
import net from 'node:net';
import { ClientConn, connections, type ServerHandler } from './client-conn.js';
import { onClientRead, READ_BUFFER } from './client-socket.js';

type Accepting = net.Server & { _handle?: { onconnection?: (err: number, handle: unknown) => void } | null; _connections: number };

/**
 * Accepted sockets read like upstream ones (conn.ts): net's `onread` into one shared buffer, no Readable push,
 * 'data' event and read-more tick per read. net.Server has no such option, so the listen handle's accept
 * callback makes the Socket itself, as net does (same options, the server's connection count), plus `onread`.
 * Without that hook (another Node), the server keeps its own sockets and 'data' events.
 */
function readAcceptedIntoSharedBuffer(server: net.Server): void {
  const s = server as Accepting;
  const handle = s._handle;
  if (!handle || typeof handle.onconnection !== 'function') return;
  const original = handle.onconnection;
  handle.onconnection = function (this: unknown, err: number, clientHandle: unknown) {
    if (err || !clientHandle || s.maxConnections) return original.call(this, err, clientHandle);
    const opts = { handle: clientHandle, allowHalfOpen: true, readable: true, writable: true, onread: { buffer: READ_BUFFER, callback: onClientRead } };
    const socket = new net.Socket(opts as net.SocketConstructorOpts) as net.Socket & { server?: net.Server; _server?: net.Server };
    socket.setNoDelay(true);
    s._connections++;
    socket.server = s;
    socket._server = s;
    s.emit('connection', socket);
  };
}

export const HEAD_TIMEOUT_MS = 60_000;
export const KEEP_ALIVE_MS = 65_000;

export class HttpServer {
  readonly server: net.Server;
  /** The bound port (X-Forwarded-Port, the internal router's app lookup). */
  port = 0;

  constructor(
    readonly handler: ServerHandler,
    readonly internal: boolean,
  ) {
    // allowHalfOpen: a client that shuts its side after sending a request still gets the answer.
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => connections.add(new ClientConn(socket, handler, this.port, internal)));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as net.AddressInfo).port;
        readAcceptedIntoSharedBuffer(this.server);
        resolve(this.port);
      });
    });
  }

  /** Stops accepting; `done` runs once every connection of this server has closed. */
  close(done?: () => void): void {
    this.server.close(() => done?.());
  }
}

/** Closes idle keep-alive connections now; busy ones close after their current request. */
export function closeIdleConnections(): void {
  for (const c of [...connections.items]) {
    c.closing = true;
    if (c.idle) c.socket.destroy();
  }
}

function sweep(): void {
  const now = Date.now();
  // Backwards: a connection that closes swaps the last one into its place.
  for (let i = connections.length - 1; i >= 0; i--) connections.items[i]?.checkTimeouts(now, HEAD_TIMEOUT_MS, KEEP_ALIVE_MS);
}
setInterval(sweep, 1000).unref();
