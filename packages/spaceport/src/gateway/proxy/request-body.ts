/**
 * A request's body on its way upstream: kept for a replay on another dyno (up to REPLAY_LIMIT), held while no
 * connection takes it yet (the client paused past EARLY_LIMIT), chunk-framed when the client sent it chunked,
 * and the client paused while the upstream socket is full.
 */
import type { UpstreamConn } from './conn.js';
import type { Exchange } from './exchange.js';

/** Request bodies up to this size are kept so a failed attempt can be replayed on another dyno. */
const REPLAY_LIMIT = 1 << 20;
/** Request body bytes held while no upstream connection takes them yet; past this the client is paused. */
const EARLY_LIMIT = 64 * 1024;

/** Writes what the request's body has so far on a new attempt's connection, or asks the client for it (100 Continue). */
export function sendBody(ex: Exchange, conn: UpstreamConn): void {
  if (ex.attempts > 1) {
    for (const c of ex.body ?? []) writeBody(ex, conn, c);
    if (ex.bodyEnded && ex.chunkedBody) conn.socket.write('0\r\n\r\n', 'latin1');
    return;
  }
  if (ex.contentLength === undefined && !ex.chunkedBody) return;
  // First attempt: what arrived before there was a connection, then the rest as it comes (onClientBody).
  const early = ex.early;
  if (early !== null) {
    ex.early = null;
    for (const c of early) writeBody(ex, conn, c);
    if (ex.earlySize > EARLY_LIMIT) ex.client.pauseBody(ex, false);
  }
  if (ex.bodyEnded) {
    if (ex.chunkedBody) conn.socket.write('0\r\n\r\n', 'latin1');
  } else ex.client.sendContinue(ex);
}

function writeBody(ex: Exchange, conn: UpstreamConn, chunk: Buffer): boolean {
  if (!ex.chunkedBody) return conn.socket.write(chunk);
  conn.socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
  conn.socket.write(chunk);
  return conn.socket.write('\r\n', 'latin1');
}

/** Body bytes from the client; `tooLarge` when they pass a plugin's limit (request-size-limiting). */
export function onClientBody(ex: Exchange, chunk: Buffer, tooLarge: (ex: Exchange) => void): void {
  ex.bodyTotal += chunk.length;
  if (ex.bodyLimit >= 0 && ex.bodyTotal > ex.bodyLimit) return tooLarge(ex);
  if (ex.body !== null) {
    ex.bodySize += chunk.length;
    if (ex.bodySize > REPLAY_LIMIT) ex.body = null;
    else ex.body.push(chunk);
  }
  if (ex.attempts === 0) {
    // No connection yet (plugins, a booting dyno): hold the bytes, and stop reading past a limit.
    (ex.early ??= []).push(chunk);
    ex.earlySize += chunk.length;
    if (ex.earlySize > EARLY_LIMIT) ex.client.pauseBody(ex, true);
    return;
  }
  const conn = ex.conn;
  if (conn !== undefined && !conn.dead && chunk.length !== 0 && !writeBody(ex, conn, chunk)) {
    ex.client.pauseBody(ex, true);
    conn.socket.once('drain', () => ex.client.pauseBody(ex, false));
  }
}

/** The client's body ended: a chunked one gets its last chunk upstream. */
export function onClientBodyEnd(ex: Exchange): void {
  ex.bodyEnded = true;
  if (ex.attempts !== 0 && ex.chunkedBody && ex.conn !== undefined && !ex.conn.dead) ex.conn.socket.write('0\r\n\r\n', 'latin1');
}
