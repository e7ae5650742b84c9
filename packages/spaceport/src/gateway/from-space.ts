/**
 * Builds the gateway's entities from spaceport.yaml: the declared services, routes, consumers and plugins,
 * plus a default route `<app>.localhost` for every public app with a web process (never for internal apps).
 */
import type { Space } from '../config/load.js';
import type { PluginsConfig } from '../config/schema.js';
import { stableId, type AppInfo, type GatewayEntities, type PluginEntity, type ServiceEntity } from './entities.js';

/** The entities a space's config declares. */
export function entitiesFromSpace(space: Space): GatewayEntities {
  const gw = space.config.gateway;
  const out: GatewayEntities = { services: [], routes: [], consumers: [], plugins: [] };
  const addPlugins = (plugins: PluginsConfig, scope: Partial<Pick<PluginEntity, 'service' | 'route' | 'consumer'>>, at: string) => {
    for (const [name, config] of Object.entries(plugins)) {
      out.plugins.push({ id: stableId('plugin', `${at}:${name}`), name, config: { ...config }, ...scope, enabled: true });
    }
  };
  const declaredApps = new Set<string>();
  for (const [sname, svc] of Object.entries(gw.services)) {
    const id = stableId('service', sname);
    if (svc.app && svc.process === 'web' && Object.keys(svc.routes).length > 0) declaredApps.add(svc.app);
    out.services.push({
      id,
      name: sname,
      app: svc.app,
      process: svc.process,
      url: svc.url,
      expose_internal: svc.expose_internal,
      path: svc.path,
      retries: svc.retries,
      connect_timeout: svc.connect_timeout,
      read_timeout: svc.read_timeout,
      write_timeout: svc.write_timeout,
      load_balancing: svc.load_balancing,
      ...(svc.max_conns === undefined ? {} : { max_conns: svc.max_conns, queue_timeout: svc.queue_timeout }),
      tags: [],
    });
    addPlugins(svc.plugins, { service: id }, `service:${sname}`);
    for (const [rname, r] of Object.entries(svc.routes)) {
      const rid = stableId('route', `${sname}/${rname}`);
      out.routes.push({
        id: rid,
        name: rname,
        service: id,
        hosts: [...r.hosts],
        paths: [...r.paths],
        methods: [...r.methods],
        headers: { ...r.headers },
        strip_path: r.strip_path,
        preserve_host: r.preserve_host,
        regex_priority: r.regex_priority,
        tags: [],
      });
      addPlugins(r.plugins, { route: rid }, `route:${sname}/${rname}`);
    }
  }
  for (const [name, app] of Object.entries(space.config.apps)) {
    if (app.internal || !('web' in app.processes)) continue;
    const svc = defaultService(name);
    out.services.push(svc);
    out.routes.push({
      id: stableId('route', `default:${name}`),
      name: `${name}-default`,
      service: svc.id,
      hosts: [`${name}.localhost`],
      paths: [],
      methods: [],
      headers: {},
      strip_path: false,
      preserve_host: true,
      regex_priority: 0,
      tags: ['default'],
    });
  }
  for (const [username, c] of Object.entries(gw.consumers)) {
    const id = stableId('consumer', username);
    out.consumers.push({ id, username, keys: [...c.keys], basic: c.basic.map((b) => ({ ...b })), groups: [...c.groups], tags: [] });
    addPlugins(c.plugins, { consumer: id }, `consumer:${username}`);
  }
  addPlugins(gw.plugins, {}, 'global');
  return out;
}

/** The service behind an app's default route and its internal router port. */
export function defaultService(app: string): ServiceEntity {
  return {
    id: stableId('service', `default:${app}`),
    name: `${app}-default`,
    app,
    process: 'web',
    expose_internal: false,
    retries: 5,
    connect_timeout: 5000,
    read_timeout: 30000,
    write_timeout: 30000,
    load_balancing: 'round-robin',
    tags: ['default'],
  };
}

/** What the gateway needs to know about each app. */
export function appInfo(space: Space): Record<string, AppInfo> {
  const out: Record<string, AppInfo> = {};
  for (const [name, app] of Object.entries(space.config.apps)) {
    out[name] = { internal: app.internal, health: app.health ? { path: app.health.path, interval: app.health.interval } : undefined };
  }
  return out;
}

/** `listen` as host and port: a bare port means loopback. */
export function parseListen(listen: string | number): { host: string; port: number } {
  if (typeof listen === 'number') return { host: '127.0.0.1', port: listen };
  const m = /^(?:\[?([^\]]*)\]?:)?(\d+)$/.exec(listen.trim());
  if (!m) throw new Error(`gateway.listen "${listen}" is not host:port or a port; write it like 127.0.0.1:8000`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/** `<APP_NAME>_URL`: upper-case, `-` → `_`. */
export function internalUrlVar(app: string): string {
  return `${app.toUpperCase().replace(/-/g, '_')}_URL`;
}
