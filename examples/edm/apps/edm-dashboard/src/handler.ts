/**
 * The dashboard's HTTP routes, all under /dashboard (its gateway route; /api/stats and /socket.io on the same
 * listener go to edm-stats and edm-stream). The page is rendered with a first snapshot of the stats fetched over
 * the internal router (EDM_STATS_URL), so it shows numbers before its first request.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { dashboardPage } from './page.js';

const PUBLIC = new URL('../public/', import.meta.url);
const STATIC: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
};

export interface DashboardDeps {
  authorized(req: IncomingMessage): boolean;
  /** A first snapshot of GET /api/stats, or undefined when edm-stats cannot be reached now. */
  initialStats(): Promise<unknown>;
}

export function createHandler(deps: DashboardDeps): RequestListener {
  return (req, res) => {
    handle(req, res, deps).catch((e: unknown) => {
      console.log(`error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'the dashboard failed; reload the page');
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: DashboardDeps): Promise<void> {
  if (!deps.authorized(req)) {
    return send(res, 401, 'application/json', JSON.stringify({ error: 'unauthorized', message: 'missing or wrong X-Internal-API-Key: open the dashboard through the gateway' }));
  }
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/health') return send(res, 200, 'application/json', '{"status":"ok"}');
  // The default route edm-dashboard.localhost sends /api/stats and /socket.io here too: the dashboard lives on the
  // gateway's path route, where those paths reach their apps.
  const m = /^edm-dashboard\.localhost(:\d+)?$/i.exec(req.headers.host ?? '');
  if (m) {
    res.writeHead(302, { location: `http://localhost${m[1] ?? ''}/dashboard` });
    return void res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'the dashboard is read-only');
  if (path === '/dashboard' || path === '/dashboard/' || path === '/') {
    return send(res, 200, 'text/html; charset=utf-8', dashboardPage(await deps.initialStats()));
  }
  const file = /^\/dashboard\/([a-z.-]+)$/.exec(path);
  if (file && STATIC[file[1]!]) {
    res.setHeader('cache-control', 'no-cache');
    return send(res, 200, STATIC[file[1]!]!, await readFile(new URL(file[1]!, PUBLIC)));
  }
  send(res, 404, 'text/plain', `no ${path}: the dashboard is at /dashboard`);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
