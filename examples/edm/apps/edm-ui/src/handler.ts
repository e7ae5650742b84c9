/** The storefront's HTTP routes: pages, the catalog as JSON (the dashboard reads names from it), static files, health. */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { PRODUCTS, productById } from './catalog.js';
import { gridPage, notFoundPage, productPage } from './pages.js';

const PUBLIC = new URL('../public/', import.meta.url);
const STATIC: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'styles.css': 'text/css; charset=utf-8' };

export function createHandler(opts: { authorized: (req: IncomingMessage) => boolean }): RequestListener {
  return (req, res) => {
    handle(req, res, opts).catch((e: unknown) => {
      console.log(`error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'the storefront failed; reload the page');
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: { authorized: (req: IncomingMessage) => boolean }): Promise<void> {
  if (!opts.authorized(req)) {
    return send(res, 401, 'application/json', JSON.stringify({ error: 'unauthorized', message: 'missing or wrong X-Internal-API-Key: open the storefront through the gateway' }));
  }
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  // The default route <app>.localhost sends every path here, /api/events too; the storefront lives on the gateway's
  // path routes, so send the browser there.
  const host = req.headers.host ?? '';
  const m = /^edm-ui\.localhost(:\d+)?$/i.exec(host);
  if (m && req.method === 'GET') {
    res.writeHead(302, { location: `http://localhost${m[1] ?? ''}${req.url ?? '/'}` });
    return void res.end();
  }
  if (path === '/health') return send(res, 200, 'application/json', '{"status":"ok"}');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'application/json', JSON.stringify({ error: 'method_not_allowed', message: 'the storefront only serves pages: post events to /api/events' }));
  }
  if (path === '/') return send(res, 200, 'text/html; charset=utf-8', gridPage(Number(url.searchParams.get('page') ?? 1)));
  if (path === '/products.json') {
    return send(res, 200, 'application/json', JSON.stringify(PRODUCTS.map(({ id, name, category, price, hue }) => ({ id, name, category, price, hue }))));
  }
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) {
    const p = productById(decodeURIComponent(product[1]!));
    return p ? send(res, 200, 'text/html; charset=utf-8', productPage(p)) : send(res, 404, 'text/html; charset=utf-8', notFoundPage(`There is no product ${product[1]}.`));
  }
  const file = /^\/static\/([a-z.-]+)$/.exec(path);
  if (file && STATIC[file[1]!]) {
    const body = await readFile(new URL(file[1]!, PUBLIC));
    res.setHeader('cache-control', 'public, max-age=60');
    return send(res, 200, STATIC[file[1]!]!, body);
  }
  send(res, 404, 'text/html; charset=utf-8', notFoundPage(`${path} is not a page of this shop.`));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
