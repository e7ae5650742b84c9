// A web dyno: binds $PORT, answers with $GREETING and its dyno name, exits cleanly on SIGTERM.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.end(`${process.env.GREETING ?? 'Hello'} from ${process.env.APP_NAME} ${process.env.DYNO}\n`);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on ${process.env.PORT}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => process.exit(0));
});
