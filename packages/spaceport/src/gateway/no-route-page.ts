/**
 * The answer when no route matches. Everyone gets Kong's JSON 404 (`{"message":"no Route matched with those
 * values"}`), except a browser (Accept names text/html) on the public listener, which gets a small HTML 404
 * listing the routes it can open: each public app's default route (`<app>.localhost:<port>`) and the plain-path
 * GET routes for any host, as `spaceport routes` shows them. The list is built once per compiled config and
 * listener port, only when a browser first misses; the matched path never comes here.
 *
 * Rules: routes to an internal app that does not expose it are never listed (they do not route either), and
 * only a client on this machine (loopback) sees the list: a gateway serving the network does not show its
 * routes to strangers, as Kong never does. Every name and path is HTML-escaped.
 */
import type { CompiledGateway } from './compile.js';
import type { GatewayEntities } from './entities.js';
import { sendJson } from './proxy/errors.js';
import type { ClientConn, ServerExchange } from './server/client-conn.js';

export const NO_ROUTE_MESSAGE = 'no Route matched with those values';

/** What the answer needs to know about the request. */
export interface NoRouteRequest extends ServerExchange {
  accept: string | undefined;
  requestId: string;
  method: string;
  host: string;
  path: string;
}

/** One browsable route: the link and what it reaches. */
export interface BrowsableRoute {
  href: string;
  text: string;
  service: string;
}

/** Writes the 404 for a request no route matched: the HTML page for a browser, else Kong's JSON. */
export function sendNoRoute(client: ClientConn, ex: NoRouteRequest, gw: CompiledGateway): void {
  const accept = ex.accept;
  if (client.internal || accept === undefined || !accept.includes('text/html')) {
    sendJson(client, ex, 404, { message: NO_ROUTE_MESSAGE, request_id: ex.requestId });
    return;
  }
  const html = noRoutePage(gw, client.port, isLoopback(client.ip), `${ex.method} ${ex.host}${ex.path}`, ex.requestId);
  client.respond(ex, 404, 'Content-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n', html);
}

const pages = new WeakMap<CompiledGateway, Map<number, { top: string; bottom: string }>>();

/** The HTML page; `asked` is the request (method, host and path) shown on it, escaped. */
export function noRoutePage(gw: CompiledGateway, port: number, loopback: boolean, asked: string, requestId: string): string {
  let byPort = pages.get(gw);
  if (byPort === undefined) pages.set(gw, (byPort = new Map()));
  let parts = byPort.get(port);
  if (parts === undefined) byPort.set(port, (parts = pageParts(browsableRoutes(gw, port))));
  const tail = loopback ? parts.bottom : '<p>The list of routes is shown to clients on the gateway\'s own machine only.</p>\n';
  return `${parts.top}<p>No route matches <code>${escapeHtml(asked)}</code>.</p>\n${tail}<p class="id">Request ID: ${escapeHtml(requestId)}</p>\n</body></html>\n`;
}

/** The routes a browser can open on this listener, default routes first, then by path. */
export function browsableRoutes(gw: CompiledGateway, port: number): BrowsableRoute[] {
  return listRoutes(gw.config.entities, gw.config.apps, port);
}

function listRoutes(e: GatewayEntities, apps: CompiledGateway['config']['apps'], port: number): BrowsableRoute[] {
  const services = new Map(e.services.map((s) => [s.id, s]));
  const suffix = port === 80 ? '' : `:${port}`;
  const defaults: BrowsableRoute[] = [];
  const paths: BrowsableRoute[] = [];
  for (const r of e.routes) {
    const s = services.get(r.service);
    if (s === undefined) continue;
    // An internal app's routes do not route unless its service exposes it: they are not listed either.
    if (s.app !== undefined && apps[s.app]?.internal === true && !s.expose_internal) continue;
    if (r.methods.length > 0 && !r.methods.includes('GET')) continue;
    if (Object.keys(r.headers).length > 0) continue;
    if (r.tags.includes('default') && r.hosts.length === 1 && r.paths.length === 0) {
      const host = `${r.hosts[0]}${suffix}`;
      defaults.push({ href: `http://${host}/`, text: host, service: s.app ?? s.name });
      continue;
    }
    if (r.hosts.length > 0) continue;
    // A plain path only (`~` is a regex); `//x` would be a link to another host.
    const path = r.paths.find((p) => p.startsWith('/') && !p.startsWith('//'));
    if (path === undefined) continue;
    paths.push({ href: path, text: path, service: s.name });
  }
  defaults.sort((a, b) => a.text.localeCompare(b.text));
  paths.sort((a, b) => a.text.localeCompare(b.text));
  return [...defaults, ...paths];
}

function pageParts(routes: BrowsableRoute[]): { top: string; bottom: string } {
  const top =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 No route matched</title>\n' +
    '<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:48em;color:#222}code{background:#f2f2f2;padding:0 .2em}' +
    'li{margin:.3em 0}.id,.hint{color:#666;font-size:.9em}</style></head><body>\n<h1>404: no route matched</h1>\n';
  const items = routes.map((r) => `<li><a href="${escapeHtml(r.href)}">${escapeHtml(r.text)}</a> <span class="hint">(${escapeHtml(r.service)})</span></li>`);
  const bottom = routes.length
    ? `<p>Routes you can open here:</p>\n<ul>\n${items.join('\n')}\n</ul>\n<p class="hint">Every route, with its hosts, methods and plugins: <code>spaceport routes</code>.</p>\n`
    : '<p>This gateway has no route a browser can open. Give an app a web process, or add a route under <code>gateway.services</code> in spaceport.yaml; <code>spaceport routes</code> lists them.</p>\n';
  return { top, bottom };
}

/** Whether the client connected from this machine. */
function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
