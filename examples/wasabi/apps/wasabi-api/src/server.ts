/**
 * wasabi-api: the smallest backend behind the gateway pattern. It answers only requests that carry the internal
 * key, which the gateway adds to what it forwards; a direct call to the dyno's port gets 401.
 */
import { createServer } from 'node:http';
import { isInternalRequest } from './auth.js';

const port = Number(process.env.PORT ?? 5000);

const server = createServer((req, res) => {
  const send = (status: number, body: Record<string, unknown>) => {
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (!isInternalRequest(req)) {
    return send(401, { error: 'unauthorized', message: 'missing or wrong X-Internal-API-Key: call this API through the gateway' });
  }
  // The gateway's key-auth tells us who the caller is (Kong's consumer headers).
  const consumer = req.headers['x-consumer-username'] ?? null;
  send(200, { wasabi: 'hot', served_by: process.env.DYNO ?? null, consumer, path: req.url });
});

server.listen(port, () => console.log(`wasabi-api listening on ${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
