/** The routing table as `spaceport routes` shows it: one row per route, with its target and plugins. */
import type { GatewayEntities } from './entities.js';

export interface RouteRow {
  route: string;
  service: string;
  hosts: string[];
  paths: string[];
  methods: string[];
  /** Header name → accepted values: a route with headers matches only requests that carry one of them. */
  headers: Record<string, string[]>;
  target: string;
  plugins: string[];
  default: boolean;
}

export function routeRows(e: GatewayEntities): RouteRow[] {
  const services = new Map(e.services.map((s) => [s.id, s]));
  const globals = e.plugins.filter((p) => p.enabled && !p.service && !p.route && !p.consumer).map((p) => p.name);
  return e.routes.map((r) => {
    const s = services.get(r.service);
    const plugins = new Set(globals);
    for (const p of e.plugins) if (p.enabled && !p.consumer && (p.route === r.id || (p.service === r.service && !p.route))) plugins.add(p.name);
    return {
      route: r.name,
      service: s?.name ?? r.service,
      hosts: r.hosts,
      paths: r.paths,
      methods: r.methods,
      headers: r.headers,
      target: s ? (s.url ?? `${s.app}/${s.process}`) : '(missing service)',
      plugins: [...plugins].sort(),
      default: r.tags.includes('default'),
    };
  });
}

/**
 * The table `spaceport routes` prints. A HEADERS column appears when a route matches on headers: without it, such
 * a route read as matching every request to its paths.
 */
export function routeTable(rows: RouteRow[]): string[][] {
  const list = (xs: string[]) => (xs.length ? xs.join(',') : '*');
  const withHeaders = rows.some((r) => Object.keys(r.headers ?? {}).length > 0);
  const headers = (r: RouteRow) => Object.entries(r.headers ?? {}).map(([k, v]) => `${k}:${v.join('|')}`).join(' ') || '*';
  const header = ['ROUTE', 'HOSTS', 'PATHS', 'METHODS', ...(withHeaders ? ['HEADERS'] : []), 'SERVICE', 'TARGET', 'PLUGINS'];
  return [header, ...rows.map((r) => [r.route, list(r.hosts), list(r.paths), list(r.methods), ...(withHeaders ? [headers(r)] : []), r.service, r.target, r.plugins.join(',') || '-'])];
}
