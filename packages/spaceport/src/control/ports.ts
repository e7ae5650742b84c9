/** Loopback ports: a free one from the kernel, and stable ones recorded in state under a key. */
import { createServer } from 'node:net';
import type { StateStore } from '../state/store.js';

/** A port nothing listens on right now (the kernel picks it), or `preferred` when that one is free. */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      if (preferred !== 0 && err.code === 'EADDRINUSE') resolve(freePort(0));
      else reject(err);
    });
    srv.listen(preferred, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The port recorded under `key`, allocating one (preferred if free) the first time; stable across restarts. */
export async function stablePort(state: StateStore, key: string, preferred?: number): Promise<number> {
  const known = state.read().ports[key];
  if (known) return known;
  const port = await freePort(preferred ?? 0);
  state.update((s) => {
    s.ports[key] = port;
  });
  return port;
}
