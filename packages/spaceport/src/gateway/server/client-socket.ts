/**
 * The socket side of a ClientConn: its event handlers (plain functions, `this` the socket, which points at its
 * connection: no closures per connection) and the `onread` path accepted sockets read through.
 */
import type { Socket } from 'node:net';
import type { ClientConn } from './client-conn.js';
import { enter, leave } from '../clock.js';

export type SocketWithConn = Socket & { _c?: ClientConn };

export function listenTo(socket: Socket): void {
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onClose);
  socket.on('error', onError);
  socket.on('drain', onDrain);
}

/** Before a hand-off (an upgrade): the socket's new owner sets its own handlers. */
export function stopListening(socket: Socket): void {
  socket.removeListener('data', onData);
  socket.removeListener('end', onEnd);
  socket.removeListener('close', onClose);
  socket.removeListener('error', onError);
  socket.removeListener('drain', onDrain);
}

function onData(this: SocketWithConn, chunk: Buffer): void {
  this._c?.data(chunk);
}

/** Accepted sockets read into this one buffer (see http-server.ts); every read is copied out of it at once. */
export const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * `onread` callback of an accepted socket. The bytes are copied (a small pooled Buffer): request heads and
 * bodies outlive the read (lazy header values, pipelined requests, replayable bodies, pending writes). After
 * an upgrade hand-off the bytes go through the socket's stream as usual (push: 'data' or its buffer).
 */
export function onClientRead(this: SocketWithConn, n: number): boolean {
  const chunk = Buffer.from(READ_BUFFER.subarray(0, n));
  const c = this._c;
  if (c === undefined) {
    this.push(chunk);
    return true;
  }
  enter();
  try {
    c.data(chunk);
  } finally {
    leave();
  }
  return true;
}

function onEnd(this: SocketWithConn): void {
  // The client closed its side. As node:http does (and Heroku's H27), a request still in progress counts
  // as abandoned: clients that half-close and still wait for an answer are rare, and treating EOF as an
  // abort frees the upstream at once. An idle connection just closes.
  const c = this._c;
  if (c === undefined) return;
  if (c.idle) this.end();
  else this.destroy();
}

function onClose(this: SocketWithConn): void {
  this._c?.closed();
}

function onError(this: SocketWithConn): void {
  this.destroy();
}

function onDrain(this: SocketWithConn): void {
  this._c?.current?.onWritable();
}
