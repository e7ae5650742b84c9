/**
 * One client connection: length-prefixed frames in, responses out in request order (Kafka's guarantee per
 * connection), whatever order the handlers finish in. A frame over the limit, a malformed request or an
 * unknown API/version closes this connection with a log line; other connections are untouched.
 *
 * A handler that can tell its response before it may send it (a Produce waiting for its fsync: the response as
 * it will be if the fsync succeeds) announces it. When that response is next in line, its 8-byte header (size,
 * correlation id) is written at once; then, each time more request bytes arrive on the connection while it is
 * still pending, one more byte of its body, always keeping at least its last byte back until the handler really
 * answers. The byte stream is the same, only its timing differs, and a client sees no response before its last
 * byte. Those early bytes carry the TCP acknowledgement of the requests received so far: a client with Nagle's
 * algorithm on (kafkajs) sends its next small request only once everything it sent is acknowledged, so without
 * them every produce sent during an fsync would sit in the client's kernel until that fsync ends (the delayed ACK
 * rides on the response), and Node offers a server no TCP_QUICKACK. If the real answer differs from the announced
 * one in a byte already sent (a failed fsync changing an error code), the connection is closed instead: the
 * client never saw a complete response, so nothing was acknowledged, and it retries.
 */
import type { Socket } from 'node:net';
import { apiModules } from '../apis/index.js';
import { unsupportedApiVersionsResponse } from '../apis/api-versions.js';
import type { Broker } from '../broker.js';
import { ApiKey, supportedVersions } from '../protocol/api-keys.js';
import { decodeRequestHeader, peekHeader } from '../protocol/header.js';
import { ProtocolError, Reader } from '../protocol/reader.js';
import type { Writer } from '../protocol/writer.js';

export interface ConnectionOptions {
  maxFrameBytes: number;
}

interface Slot {
  done: boolean;
  out: Buffer[] | null;
  correlationId: number;
  /** The body the handler announced before it may be sent, and the Writer it came from. */
  announced?: Buffer;
  announcedBy?: Writer;
  /** The header went out early (announced, first in line): `out` then holds only the rest of the body. */
  headerSent?: boolean;
  /** Bytes of the announced body already written. */
  bodySent: number;
}

export function serveConnection(socket: Socket, broker: Broker, opts: ConnectionOptions): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  socket.setNoDelay(true);
  let chunks: Buffer[] = [];
  let total = 0;
  let need = -1;
  let closed = false;
  const queue: Slot[] = [];

  const close = (why: string) => {
    if (closed) return;
    closed = true;
    broker.log(`closing connection from ${peer}: ${why}`);
    socket.destroy();
  };

  const header = (bodyLength: number, correlationId: number) => {
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(bodyLength + 4, 0);
    head.writeInt32BE(correlationId, 4); // response header v0: correlation id only
    return head;
  };

  const flush = () => {
    if (closed) return;
    let wrote = false;
    while (queue.length > 0 && queue[0]!.done) {
      const slot = queue.shift()!;
      if (!slot.out) continue;
      if (!wrote) socket.cork();
      wrote = true;
      for (const b of slot.out) socket.write(b);
    }
    const next = queue[0];
    if (next && next.announced !== undefined && !next.headerSent) {
      next.headerSent = true;
      if (!wrote) socket.cork();
      wrote = true;
      socket.write(header(next.announced.length, next.correlationId));
    }
    if (wrote) socket.uncork();
  };

  /** More request bytes came while the first response in line is announced but pending: acknowledge them. */
  const nudge = () => {
    const head = queue[0];
    if (closed || !head || head.done || !head.headerSent || head.bodySent >= head.announced!.length - 1) return;
    socket.write(head.announced!.subarray(head.bodySent, head.bodySent + 1));
    head.bodySent++;
  };

  const respond = (slot: Slot, correlationId: number, body: Writer | null) => {
    slot.done = true;
    if (body) {
      if (body === slot.announcedBy) {
        // The announced response itself (the handler's fsync succeeded): its bytes are known and already joined.
        const announced = slot.announced!;
        slot.out = slot.headerSent ? [announced.subarray(slot.bodySent)] : [header(announced.length, correlationId), announced];
        return flush();
      }
      const parts = body.finish();
      if (!slot.headerSent) slot.out = [header(body.length, correlationId), ...parts];
      else {
        const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts, body.length);
        if (whole.length !== slot.announced!.length || !whole.subarray(0, slot.bodySent).equals(slot.announced!.subarray(0, slot.bodySent))) {
          return close(`the response to correlation id ${correlationId} differs from the part already sent (a failed fsync?): the client gets no answer and retries`);
        }
        slot.out = [whole.subarray(slot.bodySent)];
      }
    } else if (slot.headerSent) {
      return close(`no response to correlation id ${correlationId} after its header was sent`);
    }
    flush();
  };

  const announce = (slot: Slot) => (body: Writer) => {
    if (slot.done || slot.announced) return;
    const parts = body.finish();
    slot.announced = parts.length === 1 ? parts[0]! : Buffer.concat(parts, body.length);
    slot.announcedBy = body;
    if (queue[0] === slot) flush();
  };

  const dispatch = (frame: Buffer) => {
    const peek = peekHeader(frame);
    if (!peek) return close(`request of ${frame.length} bytes is shorter than a request header`);
    const { apiKey, apiVersion, correlationId } = peek;
    const module = apiModules.get(apiKey);
    const range = supportedVersions.get(apiKey);
    if (!module || !range) return close(`unknown API key ${apiKey}`);
    if (apiVersion < range.min || apiVersion > range.max) {
      if (apiKey === ApiKey.ApiVersions) {
        const slot: Slot = { done: false, out: null, correlationId, bodySent: 0 };
        queue.push(slot);
        return respond(slot, correlationId, unsupportedApiVersionsResponse());
      }
      return close(`API key ${apiKey} version ${apiVersion} is not supported (supported: ${range.min}-${range.max})`);
    }
    const slot: Slot = { done: false, out: null, correlationId, bodySent: 0 };
    queue.push(slot);
    try {
      const r = new Reader(frame);
      const head = decodeRequestHeader(r);
      const result = module.handle(broker, { apiVersion, clientId: head.clientId ?? '', clientHost: socket.remoteAddress ?? '', announce: announce(slot) }, r);
      if (result instanceof Promise) {
        result.then(
          (w) => respond(slot, correlationId, w),
          (err: unknown) => close(`API key ${apiKey} v${apiVersion} failed: ${describe(err)}`),
        );
      } else respond(slot, correlationId, result);
    } catch (err) {
      close(`${err instanceof ProtocolError ? 'malformed' : 'failed'} request (API key ${apiKey} v${apiVersion}): ${describe(err)}`);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    nudge();
    chunks.push(chunk);
    total += chunk.length;
    while (!closed) {
      if (need < 0) {
        if (total < 4) return;
        if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks, total)];
        const size = chunks[0]!.readInt32BE(0);
        if (size < 0 || size > opts.maxFrameBytes) return close(`frame of ${size} bytes exceeds the limit of ${opts.maxFrameBytes} bytes`);
        need = size + 4;
      }
      if (total < need) return;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
      const frame = all.subarray(4, need);
      const rest = all.subarray(need);
      chunks = rest.length > 0 ? [rest] : [];
      total = rest.length;
      need = -1;
      dispatch(frame);
    }
  });
  socket.on('error', () => {
    closed = true;
  });
  socket.on('close', () => {
    closed = true;
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
