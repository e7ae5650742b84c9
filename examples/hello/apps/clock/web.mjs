// A web dyno that tells the time.
import { createServer } from 'node:http';

const server = createServer((_req, res) => res.end(new Date().toISOString() + '\n'));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
