/**
 * One write of a whole message (a response, an upstream request head) without the Writable stream's
 * bookkeeping: when nothing is queued in the socket's stream, the string goes straight to net's handle write
 * (`_writeGeneric`, what `socket.write` ends in), skipping the stream's length accounting, its callback and
 * the after-write tick. libuv keeps the order of everything written on a handle, and a shutdown (`end()`)
 * waits for pending writes, so mixing the two paths is safe as long as the stream holds nothing when this
 * one is taken. Falls back to `socket.write` otherwise (connecting, corked, a write pending, another Node).
 */
import net from 'node:net';

type Direct = net.Socket & {
  _writeGeneric?: (writev: boolean, data: string, encoding: BufferEncoding, cb: (err?: Error | null) => void) => void;
  _handle?: unknown;
  /** The socket's write callback, made once per socket: a failed write destroys it, as socket.write's does. */
  _wcb?: (err?: Error | null) => void;
};

const AVAILABLE = typeof (net.Socket.prototype as Direct)._writeGeneric === 'function';

function afterWrite(this: net.Socket, err?: Error | null): void {
  if (err) this.destroy(err);
}

/** Writes `data` (latin1) on `socket` as one message; no backpressure signal (callers write whole, small messages). */
export function writeWhole(socket: net.Socket, data: string): void {
  const s = socket as Direct;
  if (AVAILABLE && s._handle && !s.connecting && s.writable && s.writableLength === 0 && s.writableCorked === 0) {
    s._writeGeneric!(false, data, 'latin1', (s._wcb ??= afterWrite.bind(s)));
  } else socket.write(data, 'latin1');
}
