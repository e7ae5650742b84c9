/** edm-stats' HTTP API: GET /api/stats for the dashboard (through the gateway or the internal router), /health. */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Stats } from './query.js';

export interface StatsDeps {
  authorized(req: IncomingMessage): boolean;
  stats(): Promise<Stats>;
  /** Partitions this dyno consumes now, such as `edm-ui-click/0`. */
  assigned(): string[];
  ready(): boolean;
  log(line: string): void;
}

export function createHandler(deps: StatsDeps): RequestListener {
  return (req, res) => {
    handle(req, res, deps).catch((e: unknown) => {
      deps.log(`error: ${(e as Error).message}`);
      send(res, 503, { error: 'unavailable', message: 'the stats database did not answer; retry shortly' });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: StatsDeps): Promise<void> {
  if (!deps.authorized(req)) {
    return send(res, 401, { error: 'unauthorized', message: 'missing or wrong X-Internal-API-Key: call this app through the gateway or its EDM_STATS_URL' });
  }
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, { error: 'method_not_allowed', message: `${req.method} ${path}: this API is read-only, use GET` });
  }
  if (path === '/health') {
    return deps.ready() ? send(res, 200, { status: 'ok', partitions: deps.assigned() }) : send(res, 503, { status: 'starting' });
  }
  if (path === '/api/stats' || path === '/stats' || path === '/') {
    const stats = await deps.stats();
    return send(res, 200, { ...stats, served_by: process.env.DYNO ?? null, partitions: deps.assigned() });
  }
  send(res, 404, { error: 'not_found', message: `no ${path}: GET /api/stats` });
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
