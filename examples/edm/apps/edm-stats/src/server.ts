/** edm-stats: counts events per product, type and minute into Postgres, exactly once, and serves them. */
import { createServer } from 'node:http';
import pg from 'pg';
import { internalCheck } from '@spaceport/internal-auth';
import { startConsumer, type StatsConsumer } from './consumer.js';
import { kafkaBrokers, port } from '../../../shared/env.js';
import { createHandler } from './handler.js';
import { migrate } from './migrate.js';
import { readStats } from './query.js';

const log = (line: string) => console.log(line);
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: attach a postgres add-on to edm-stats (addons: [db])');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 6 });
pool.on('error', (e) => log(`postgres: ${e.message}`));
await migrate(pool);

let consumer: StatsConsumer | undefined;
const server = createServer(
  createHandler({
    authorized: internalCheck(),
    stats: () => readStats(pool),
    assigned: () => consumer?.assigned() ?? [],
    ready: () => consumer !== undefined,
    log,
  }),
);
const listenPort = port(process.env.PORT);
// Loopback only: the gateway and the internal router reach the dyno there, and nothing off this machine should.
server.listen(listenPort, '127.0.0.1', () => log(`edm-stats listening on ${listenPort}`));
consumer = await startConsumer({ brokers: kafkaBrokers(process.env.KAFKA_URL), pool, log, clientId: `edm-stats-${process.env.DYNO ?? 'local'}` });

let last = { counted: 0, duplicates: 0 };
setInterval(() => {
  const t = consumer!.totals;
  if (t.counted !== last.counted || t.duplicates !== last.duplicates) {
    log(`counted ${t.counted - last.counted} events in the last 10s (${t.duplicates - last.duplicates} redelivered, skipped)`);
    last = { counted: t.counted, duplicates: t.duplicates };
  }
}, 10_000).unref();

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: leaving the consumer group and finishing requests`);
  server.close();
  server.closeIdleConnections();
  // disconnect() lets the batch in hand finish its transaction, then leaves the group so partitions move at once.
  await consumer?.stop().catch((e: unknown) => log(`consumer stop: ${(e as Error).message}`));
  await pool.end();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
