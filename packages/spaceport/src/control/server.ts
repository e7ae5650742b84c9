/**
 * The control API server: HTTP on the unix socket `.spaceport/control.sock` (mode 0600, so only the owner of
 * the space can talk to it). JSON in and out; every error is `{ error: { code, message } }`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ControlError } from './router-types.js';
import { reachableSocketPath, socketPathTooLong } from './socket-path.js';
import type { Router } from './router.js';

const MAX_BODY = 1024 * 1024;

/** Listens on the socket at `socketPath` (absolute), by its relative path when the absolute one is too long. */
export async function listenControl(router: Router, socketPath: string): Promise<Server> {
  const reachable = reachableSocketPath(socketPath);
  if (reachable === undefined) throw new Error(socketPathTooLong(socketPath, dirname(dirname(socketPath))));
  rmSync(socketPath, { force: true });
  const server = createServer((req, res) => void handle(router, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // umask-independent: the socket exists for a moment before chmod, so create it under a 0077 umask.
    const old = process.umask(0o077);
    server.listen(reachable, () => {
      process.umask(old);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return server;
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://spaceport');
    const { handler, params, allowed } = router.match(req.method ?? 'GET', url.pathname);
    if (!handler) {
      if (allowed.length) throw new ControlError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${allowed.join(', ')}`);
      throw new ControlError(404, 'not_found', `no control API route ${req.method} ${url.pathname}`);
    }
    const body = await readJson(req);
    const result = await handler({ method: req.method ?? 'GET', path: url.pathname, params, query: url.searchParams, body, raw: req }, res);
    if (result === undefined) return; // the handler wrote the response (a stream)
    send(res, 200, result);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof ControlError) send(res, err.status, { error: { code: err.code, message: err.message } });
    else send(res, 500, { error: { code: 'internal', message: (err as Error).message ?? String(err) } });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new ControlError(413, 'body_too_large', 'request body over 1 MiB');
    chunks.push(c);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ControlError(400, 'bad_json', 'the request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
