/**
 * The request path's clock. Inside a socket read's handler (the gateway's request path: parsing, plugins,
 * forwarding, the answer, the router line) the time is read once, when the handler starts, instead of a
 * dozen times per request (request start, send, answer, deadlines, pool idle times, the router line,
 * rate-limit windows): each Date.now() costs ~40-80 ns here. Anywhere else (timers, IPC, promise
 * continuations) now() is Date.now(), so a cached value never outlives the handler that read it.
 * enter() and leave() bracket a read handler, leave() in a `finally`.
 */
let cached = 0;
let depth = 0;

export function enter(): void {
  if (depth++ === 0) cached = Date.now();
}

export function leave(): void {
  depth--;
}

export function now(): number {
  return depth === 0 ? Date.now() : cached;
}
