/** edm-dashboard: charts the stats history (GET /api/stats) and the live stream (Socket.io) of the storefront's events. */
import { createServer } from 'node:http';
import { internalCheck } from '@spaceport/internal-auth';
import { createHandler } from './handler.js';

const port = Number(process.env.PORT ?? 5000);
const statsUrl = process.env.EDM_STATS_URL;

/** Over the internal router (private to the space); the key is sent as on any call between backends. */
async function initialStats(): Promise<unknown> {
  if (!statsUrl) return undefined;
  try {
    const res = await fetch(new URL('/api/stats', statsUrl), {
      headers: { 'x-internal-api-key': process.env.INTERNAL_API_KEY ?? '' },
      signal: AbortSignal.timeout(1500),
    });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

const server = createServer(createHandler({ authorized: internalCheck(), initialStats }));
// Loopback only: the gateway and the internal router reach the dyno there, and nothing off this machine should.
server.listen(port, '127.0.0.1', () => console.log(`edm-dashboard listening on ${port}${statsUrl ? `, stats from ${statsUrl}` : ''}`));

function stop(signal: string): void {
  console.log(`${signal}: finishing in-flight requests`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
