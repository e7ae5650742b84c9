/**
 * Puts the internal-key check in front of everything a Node HTTP server does, including what Socket.io attached
 * (its polling requests, WebSocket upgrades and the client script): a direct call to the dyno's port gets 401.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type RequestListener = (req: IncomingMessage, res: import('node:http').ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const MESSAGE = 'missing or wrong X-Internal-API-Key: connect through the gateway';

/** Call after every other listener is attached: it wraps them. */
export function guardServer(server: Server, authorized: (req: IncomingMessage) => boolean): void {
  const requests = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    if (!authorized(req)) {
      const body = JSON.stringify({ error: 'unauthorized', message: MESSAGE });
      res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    for (const l of requests) l.call(server, req, res);
  });
  const upgrades = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!authorized(req)) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${MESSAGE.length}\r\n\r\n${MESSAGE}`);
      return;
    }
    for (const l of upgrades) l.call(server, req, socket, head);
  });
}
