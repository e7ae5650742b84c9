/**
 * wasabi-api: the smallest backend behind the gateway pattern. It answers only requests that carry the internal
 * key, which the gateway adds to what it forwards; a direct call to the dyno's port gets 401.
 */
import { createServer } from 'node:http';
import { checkInternal } from '@spaceport/internal-auth';

const port = Number(process.env.PORT ?? 5000);

const server = createServer((req, res) => {
  // The one line: 401 unless the request came through the platform, which adds X-Internal-API-Key.
  if (!checkInternal(req, res)) return;
  // The gateway's key-auth tells us who the caller is (Kong's consumer headers).
  const consumer = req.headers['x-consumer-username'] ?? null;
  const text = `${JSON.stringify({ wasabi: 'hot', served_by: process.env.DYNO ?? null, consumer, path: req.url })}\n`;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
});

// Loopback only: the gateway reaches the dyno there, and nothing off this machine should.
server.listen(port, '127.0.0.1', () => console.log(`wasabi-api listening on ${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
