/** The routing table as `spaceport routes` shows it: one row per route, with its target and plugins. */
import type { GatewayEntities } from './entities.js';

export interface RouteRow {
  route: string;
  service: string;
  hosts: string[];
  paths: string[];
  methods: string[];
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
      target: s ? (s.url ?? `${s.app}/${s.process}`) : '(missing service)',
      plugins: [...plugins].sort(),
      default: r.tags.includes('default'),
    };
  });
}
