/** edm-ui: the storefront. Pages are served here; the browser sends its events to /api/events through the gateway. */
import { createServer } from 'node:http';
import { internalCheck } from '@spaceport/internal-auth';
import { createHandler } from './handler.js';

const port = Number(process.env.PORT ?? 5000);
const server = createServer(createHandler({ authorized: internalCheck() }));
// Loopback only: the gateway and the internal router reach the dyno there, and nothing off this machine should.
server.listen(port, '127.0.0.1', () => console.log(`edm-ui listening on ${port}`));

function stop(signal: string): void {
  console.log(`${signal}: finishing in-flight requests`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
