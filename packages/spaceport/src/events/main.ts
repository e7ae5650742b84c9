/**
 * The broker process: `node main.js --port 9092 --data DIR [--admin-port 0]`.
 * Config that is not secret comes in SPACEPORT_EVENTS_CONFIG (JSON: topics, autoCreateTopics, ...); the admin
 * token in SPACEPORT_EVENTS_TOKEN (never argv). Once both listeners are up it prints
 * `broker listening on 127.0.0.1:<port> (kafka), admin on 127.0.0.1:<port>` and sends
 * `{ type: 'listening', port, adminPort }` over IPC when there is a channel.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listenAdmin } from './admin/http.js';
import { Broker, defaultBrokerConfig, type BrokerConfig, type BrokerEnvConfig } from './broker.js';
import { BROKER_EXIT } from './exit-codes.js';
import { listenKafka } from './server/kafka-server.js';

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

function fail(msg: string, code: number = BROKER_EXIT.refused): never {
  process.stderr.write(`broker: ${msg}\n`);
  process.exit(code);
}

/** One broker per data directory: a second one would interleave writes into the same segments. */
function lockDataDir(dir: string): void {
  const lock = join(dir, 'broker.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      // A recorded pid counts only if that process is still a broker: after a crash the number may be reused.
      if (pid > 0 && pid !== process.pid) alive = /events[\\/]main\.[jt]s/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      alive = false;
    }
    if (alive) fail(`data directory ${dir} is in use by broker pid ${pid}; stop it first or use another --data`);
  }
  writeFileSync(lock, String(process.pid));
}

function clusterId(dir: string): string {
  const file = join(dir, 'cluster-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomBytes(16).toString('base64url');
  writeFileSync(file, id);
  return id;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '9092' }, data: { type: 'string' }, 'admin-port': { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  if (!values.data) fail('--data DIR is required (where topics and offsets are stored)');
  const port = Number(values.port);
  const adminPort = Number(values['admin-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0-65535, got ${values.port}`);
  let env: BrokerEnvConfig = {};
  if (process.env.SPACEPORT_EVENTS_CONFIG) {
    try {
      env = JSON.parse(process.env.SPACEPORT_EVENTS_CONFIG) as BrokerEnvConfig;
    } catch (err) {
      fail(`SPACEPORT_EVENTS_CONFIG is not valid JSON: ${(err as Error).message}`);
    }
  }
  const token = process.env.SPACEPORT_EVENTS_TOKEN || randomBytes(24).toString('base64url');
  const dataDir = resolve(values.data);
  mkdirSync(dataDir, { recursive: true });
  lockDataDir(dataDir);

  const config: BrokerConfig = { ...defaultBrokerConfig, ...env, host: values.host!, dataDir, port, clusterId: clusterId(dataDir) };
  const broker = new Broker(config, log);
  const started = Date.now();
  broker.open();
  const kafka = await listenKafka(broker, values.host!, port, env.maxFrameBytes ?? 100 * 1024 * 1024).catch((err: NodeJS.ErrnoException) => {
    // Refusals no restart cures: one line and their own exit code (see exit-codes.ts), not a stack trace.
    if (err.code === 'EADDRINUSE') fail(`port ${port} on ${values.host} is in use by another program: stop it, or give the broker another port (0 picks a free one)`, BROKER_EXIT.portInUse);
    if (err.code === 'EACCES') fail(`port ${port} on ${values.host} may not be bound by this user (ports below 1024 need privileges): give the broker a port of 1024 or more (0 picks a free one)`, BROKER_EXIT.portDenied);
    throw err;
  });
  const boundPort = (kafka.address() as { port: number }).port;
  config.port = boundPort; // advertised in Metadata/FindCoordinator
  const admin = await listenAdmin(broker, adminPort, token);
  const boundAdmin = (admin.address() as { port: number }).port;
  if (!process.env.SPACEPORT_EVENTS_TOKEN) writeFileSync(join(dataDir, 'admin-token'), token, { mode: 0o600 });

  const retention = setInterval(() => broker.store.enforceRetention(), env.retentionCheckMs ?? 60_000);
  retention.unref();
  const timingsMs = env.produceTimingsMs ?? 10_000;
  if (timingsMs > 0) {
    const timings = setInterval(() => {
      const line = broker.produceTimings.summary(timingsMs);
      if (line) log(line);
    }, timingsMs);
    timings.unref();
  }
  const topics = broker.store.topics.size;
  log(`broker listening on ${values.host}:${boundPort} (kafka), admin on 127.0.0.1:${boundAdmin}; ${topics} topic(s) loaded in ${Date.now() - started} ms`);
  process.send?.({ type: 'listening', port: boundPort, adminPort: boundAdmin });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`broker stopping (${signal})`);
    kafka.close();
    admin.close();
    broker.close();
    rmSync(join(dataDir, 'broker.pid'), { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('parent gone'));
  // A bug in one request handler must not take every client down: log it and keep serving.
  process.on('uncaughtException', (err) => log(`broker: unexpected error: ${err.stack ?? err.message}`));
}

void main();
