/**
 * The gateway's entities in Kong's model (services, routes, consumers, plugins), flat and referenced by id.
 * This is the one shape that travels: built from spaceport.yaml, edited by the admin API, pushed to workers.
 */
export type LoadBalancing = 'round-robin' | 'least-connections';

export interface ServiceEntity {
  id: string;
  name: string;
  /** An app of the space and its process type, or `url` for an upstream outside the space. */
  app?: string;
  process: string;
  url?: string;
  expose_internal: boolean;
  /** Path prefix added upstream. */
  path?: string;
  retries: number;
  connect_timeout: number;
  read_timeout: number;
  write_timeout: number;
  load_balancing: LoadBalancing;
  /**
   * Opt-in cap on concurrent upstream connections per dyno (nginx's max_conns): requests past it wait in a
   * queue for a free one, up to `queue_timeout` ms (then H11). Absent: no cap, nothing queues.
   */
  max_conns?: number;
  queue_timeout?: number;
  tags: string[];
}

export interface RouteEntity {
  id: string;
  name: string;
  /** Id of the service. */
  service: string;
  hosts: string[];
  paths: string[];
  methods: string[];
  headers: Record<string, string[]>;
  strip_path: boolean;
  preserve_host: boolean;
  regex_priority: number;
  tags: string[];
}

export interface ConsumerEntity {
  id: string;
  username: string;
  keys: string[];
  basic: { username: string; password: string }[];
  groups: string[];
  tags: string[];
}

export interface PluginEntity {
  id: string;
  name: string;
  config: Record<string, unknown>;
  /** Scope: ids of a service, route or consumer; none of them means global. */
  service?: string;
  route?: string;
  consumer?: string;
  enabled: boolean;
}

export interface GatewayEntities {
  services: ServiceEntity[];
  routes: RouteEntity[];
  consumers: ConsumerEntity[];
  plugins: PluginEntity[];
}

export interface AppInfo {
  internal: boolean;
  health?: { path: string; interval: number };
}

/** Everything a gateway process needs; sent over IPC (the internal key never travels by argv or env). */
export interface GatewayRuntimeConfig {
  entities: GatewayEntities;
  internalApiKey: string;
  /** The public listener. */
  listen: { host: string; port: number };
  /** Internal router: one loopback port per internal app. */
  internal: { app: string; port: number }[];
  apps: Record<string, AppInfo>;
  /** Admin API on loopback; omitted to run without one. */
  admin?: { port: number; token: string };
  /** Number of worker processes. */
  workers: number;
}

/** A dyno as the gateway sees it; only `up` dynos receive traffic. */
export interface DynoTarget {
  app: string;
  type: string;
  dyno: string;
  port: number;
  state: string;
}

/** A stable id from a name, so ids survive restarts (a hex hash formatted as a UUID). */
export function stableId(kind: string, name: string): string {
  // FNV-1a over two seeds gives 128 bits; stable and cheap, no crypto needed for identity.
  const h = (seed: number) => {
    let x = seed >>> 0;
    const s = `${kind}:${name}`;
    for (let i = 0; i < s.length; i++) {
      x ^= s.charCodeAt(i);
      x = Math.imul(x, 16777619) >>> 0;
    }
    return x.toString(16).padStart(8, '0');
  };
  const hex = h(2166136261) + h(0x9e3779b9) + h(0x85ebca6b) + h(0xc2b2ae35);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
