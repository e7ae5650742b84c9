/**
 * One client connection: length-prefixed frames in, responses out in request order (Kafka's guarantee per
 * connection), whatever order the handlers finish in. A frame over the limit, a malformed request or an
 * unknown API/version closes this connection with a log line; other connections are untouched.
 *
 * A handler that knows its response's size before it can send the response (a Produce waiting for its fsync)
 * announces it: when that response is next in line, its 8-byte header (size, correlation id) is written at
 * once and the body when ready. The byte stream is the same, only its timing differs: those 8 bytes carry the
 * TCP acknowledgement of the request, which a client with Nagle's algorithm on (kafkajs) waits for before it
 * sends its next small request. Without them, the next produce would sit in the client's kernel until this
 * one's fsync ends (the delayed ACK rides on the response), and Node offers a server no TCP_QUICKACK.
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
  /** Body size announced by the handler before its body is ready. */
  announced?: number;
  /** The header went out early (announced, first in line): `out` then holds only the body. */
  headerSent?: boolean;
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
      socket.write(header(next.announced, next.correlationId));
    }
    if (wrote) socket.uncork();
  };

  const respond = (slot: Slot, correlationId: number, body: Writer | null) => {
    slot.done = true;
    if (body) {
      const parts = body.finish();
      if (slot.headerSent && body.length !== slot.announced) {
        return close(`response to correlation id ${correlationId} is ${body.length} bytes, ${slot.announced} were announced`);
      }
      slot.out = slot.headerSent ? parts : [header(body.length, correlationId), ...parts];
    } else if (slot.headerSent) {
      return close(`no response to correlation id ${correlationId} after its header was sent`);
    }
    flush();
  };

  const announce = (slot: Slot) => (bodyLength: number) => {
    if (slot.done || slot.announced !== undefined) return;
    slot.announced = bodyLength;
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
        const slot: Slot = { done: false, out: null, correlationId };
        queue.push(slot);
        return respond(slot, correlationId, unsupportedApiVersionsResponse());
      }
      return close(`API key ${apiKey} version ${apiVersion} is not supported (supported: ${range.min}-${range.max})`);
    }
    const slot: Slot = { done: false, out: null, correlationId };
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
