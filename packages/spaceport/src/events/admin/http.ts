/**
 * The broker's HTTP admin endpoint: loopback only, every request needs `Authorization: Bearer <token>` (the
 * token comes from the environment, never argv). The control plane forwards `spaceport topics`/`groups` here.
 *
 *   GET    /v1/topics                      topics with partitions, log start/end offsets and bytes
 *   POST   /v1/topics {name, partitions}   create a topic
 *   PATCH  /v1/topics/:name                {partitions?, retentionMs?, retentionBytes?}: grow, change retention
 *   DELETE /v1/topics/:name                delete a topic
 *   GET    /v1/topics/:name/records        ?from=beginning|end&positions=0:12,1:40&wait=ms&max=n — records for tail
 *   GET    /v1/groups                      groups with members, assignments, committed offsets and lag
 *   POST   /v1/topics/:name/rename {to}    rename in place, keeping records and committed offsets (rename-topic.ts)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Broker } from '../broker.js';
import { invalidTopicName } from '../storage/log-store.js';
import { decodeBatches, type TailRecord } from './records.js';
import { groupViews, topicViews } from './views.js';
import { renameTopic, RenameError } from './rename-topic.js';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > 1 << 20) reject(new HttpError(413, 'too_large', 'request body over 1 MiB'));
      else parts.push(c);
    });
    req.on('end', () => {
      try {
        resolve(n === 0 ? {} : JSON.parse(Buffer.concat(parts).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'bad_json', 'the request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function tail(broker: Broker, name: string, q: URLSearchParams): Promise<{ records: TailRecord[]; positions: string }> {
  const topic = broker.store.topics.get(name);
  if (!topic) throw new HttpError(404, 'unknown_topic', `topic ${name} does not exist; list topics with \`spaceport topics\``);
  const max = Math.min(Number(q.get('max') ?? 500) || 500, 10_000);
  const wait = Math.min(Number(q.get('wait') ?? 0) || 0, 30_000);
  const positions = new Map<number, number>();
  for (const part of (q.get('positions') ?? '').split(',').filter(Boolean)) {
    const [p, o] = part.split(':').map(Number);
    if (Number.isInteger(p) && Number.isInteger(o)) positions.set(p!, o!);
  }
  const fromBeginning = q.get('from') === 'beginning';
  for (const p of topic.partitions) if (!positions.has(p.partition)) positions.set(p.partition, fromBeginning ? p.logStartOffset : p.highWatermark);
  const deadline = Date.now() + wait;
  for (;;) {
    const records: TailRecord[] = [];
    for (const p of topic.partitions) {
      let pos = Math.max(positions.get(p.partition)!, p.logStartOffset);
      if (records.length >= max || pos >= p.highWatermark) continue;
      const got = await p.read(pos, 1 << 20, Infinity);
      for (const r of decodeBatches(Buffer.concat(got.chunks), p.partition, pos)) {
        if (records.length >= max) break;
        records.push(r);
        pos = r.offset + 1;
      }
      positions.set(p.partition, pos);
    }
    const left = deadline - Date.now();
    if (records.length > 0 || left <= 0) return { records, positions: [...positions].map(([p, o]) => `${p}:${o}`).join(',') };
    await new Promise<void>((resolve) => {
      const cancels = topic.partitions.map((p) => p.onData(done));
      const timer = setTimeout(done, left);
      function done() {
        clearTimeout(timer);
        for (const c of cancels) c();
        resolve();
      }
    });
  }
}

async function renameRoute(broker: Broker, from: string, body: { to?: unknown }): Promise<[number, unknown]> {
  const to = typeof body.to === 'string' ? body.to : '';
  try {
    await renameTopic(broker, from, to);
  } catch (err) {
    if (err instanceof RenameError) throw new HttpError(err.status, err.code, err.message);
    throw err;
  }
  broker.log(`renamed topic ${from} to ${to} (admin API)`);
  return [200, { topic: topicViews(broker).find((t) => t.name === to) }];
}

async function route(broker: Broker, req: IncomingMessage, url: URL): Promise<[number, unknown]> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/v1/topics') return [200, { topics: topicViews(broker) }];
  if (method === 'GET' && path === '/v1/groups') return [200, { groups: groupViews(broker) }];
  if (method === 'POST' && path === '/v1/topics') {
    const body = (await readJson(req)) as { name?: unknown; partitions?: unknown };
    const name = typeof body.name === 'string' ? body.name : '';
    const bad = invalidTopicName(name);
    if (bad) throw new HttpError(400, 'invalid_topic', `${JSON.stringify(name)} is not a valid topic name: ${bad}`);
    const partitions = body.partitions === undefined ? broker.config.defaultPartitions : Number(body.partitions);
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1000) throw new HttpError(400, "invalid_partitions", "partitions must be an integer from 1 to 1000");
    if (broker.store.topics.has(name)) throw new HttpError(409, 'topic_exists', `topic ${name} already exists`);
    broker.store.create(name, { partitions, retentionMs: broker.config.defaultRetentionMs });
    broker.log(`created topic ${name} with ${partitions} partition(s) (admin API)`);
    return [201, { topic: topicViews(broker).find((t) => t.name === name) }];
  }
  const rn = /^\/v1\/topics\/([^/]+)\/rename$/.exec(path);
  if (method === 'POST' && rn) return renameRoute(broker, decodeURIComponent(rn[1]!), (await readJson(req)) as { to?: unknown });
  const m = /^\/v1\/topics\/([^/]+)(\/records)?$/.exec(path);
  if (m) {
    const name = decodeURIComponent(m[1]!);
    if (method === 'DELETE' && !m[2]) {
      if (!broker.deleteTopic(name)) throw new HttpError(404, 'unknown_topic', `topic ${name} does not exist`);
      broker.log(`deleted topic ${name} (admin API)`);
      return [200, { deleted: name }];
    }
    if (method === 'GET' && m[2]) return [200, await tail(broker, name, url.searchParams)];
    if (method === 'PATCH' && !m[2]) {
      const topic = broker.store.topics.get(name);
      if (!topic) throw new HttpError(404, 'unknown_topic', `topic ${name} does not exist`);
      const body = (await readJson(req)) as { partitions?: unknown; retentionMs?: unknown; retentionBytes?: unknown };
      const partitions = body.partitions === undefined ? topic.partitions.length : Number(body.partitions);
      if (!Number.isInteger(partitions) || partitions > 1000) throw new HttpError(400, 'invalid_partitions', 'partitions must be an integer up to 1000');
      if (partitions < topic.partitions.length) {
        throw new HttpError(409, 'partitions_decrease', `${name} has ${topic.partitions.length} partitions; a topic's partitions can only grow (delete and re-create it to have fewer)`);
      }
      // null removes a limit; absent keeps the current one.
      const limit = (v: unknown, current: number | undefined, what: string): number | undefined => {
        if (v === undefined) return current;
        if (v === null) return undefined;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new HttpError(400, 'invalid_retention', `${what} must be a whole number of ${what === 'retentionMs' ? 'milliseconds' : 'bytes'}, or null`);
        return v;
      };
      const settings = {
        partitions,
        retentionMs: limit(body.retentionMs, topic.settings.retentionMs, 'retentionMs'),
        retentionBytes: limit(body.retentionBytes, topic.settings.retentionBytes, 'retentionBytes'),
      };
      const grows = partitions > topic.partitions.length;
      broker.store.reconfigure(name, { ...settings, partitions: topic.partitions.length });
      // Growth as CreatePartitions does it: subscribed consumer groups rebalance onto the new partitions at once.
      if (grows) broker.growTopic(name, partitions, 'admin API');
      broker.log(`topic ${name} reconfigured: ${partitions} partition(s), retention ${settings.retentionMs ?? 'unlimited'} ms / ${settings.retentionBytes ?? 'unlimited'} bytes (admin API)`);
      return [200, { topic: topicViews(broker).find((t) => t.name === name) }];
    }
  }
  throw new HttpError(404, 'not_found', `no route ${method} ${path}`);
}

/** Starts the admin endpoint on 127.0.0.1. */
export function listenAdmin(broker: Broker, port: number, token: string): Promise<Server> {
  const expected = Buffer.from(`Bearer ${token}`);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return send(401, { error: { code: 'unauthorized', message: 'the broker admin API needs the admin token (Authorization: Bearer ...)' } });
    }
    route(broker, req, new URL(req.url ?? '/', 'http://localhost')).then(
      ([status, body]) => send(status, body),
      (err: unknown) => {
        if (err instanceof HttpError) send(err.status, { error: { code: err.code, message: err.message } });
        else {
          broker.log(`admin API error: ${(err as Error).message}`);
          send(500, { error: { code: 'internal', message: (err as Error).message } });
        }
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
