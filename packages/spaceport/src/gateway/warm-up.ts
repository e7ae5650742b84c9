/**
 * Compiles a synthetic config a few times when a worker starts, so the first real swap of a large config
 * runs optimized code instead of paying for JIT warm-up (a 5,000-route swap stays well under 200 ms).
 */
import { Compiler } from './compile.js';
import type { GatewayEntities, GatewayRuntimeConfig } from './entities.js';
import { MetricsRegistry } from './metrics.js';
import type { LoadedPlugin } from './plugins/catalog.js';
import { Upstreams } from './proxy/upstream.js';

export function warmUp(plugins: ReadonlyMap<string, LoadedPlugin>, routes = 400, rounds = 2): void {
  const e: GatewayEntities = { services: [], routes: [], consumers: [], plugins: [] };
  for (let i = 0; i < routes; i++) {
    const sid = `warm-s${i}`;
    e.services.push({ id: sid, name: sid, app: 'warm', process: 'web', expose_internal: false, retries: 5, connect_timeout: 5000, read_timeout: 30000, write_timeout: 30000, load_balancing: 'round-robin', tags: [] });
    e.routes.push({ id: `warm-r${i}`, name: `warm-r${i}`, service: sid, hosts: i % 3 === 0 ? [`h${i}.warm`] : i % 7 === 0 ? ['*.warm'] : [], paths: i % 4 === 0 ? [`~/w${i}/\\d+`] : [`/w${i}`], methods: i % 5 === 0 ? ['GET'] : [], headers: i % 11 === 0 ? { 'x-v': ['1'] } : {}, strip_path: true, preserve_host: false, regex_priority: 0, tags: [] });
    if (i % 10 === 0 && plugins.has('rate-limiting')) e.plugins.push({ id: `warm-p${i}`, name: 'rate-limiting', config: { minute: 10 }, route: `warm-r${i}`, enabled: true });
  }
  const config: GatewayRuntimeConfig = { entities: e, internalApiKey: '', listen: { host: '127.0.0.1', port: 0 }, internal: [], apps: {}, workers: 1 };
  const c = new Compiler(plugins, new Upstreams(), new MetricsRegistry());
  for (let i = 0; i < rounds; i++) {
    c.compile(config);
    // A fresh config each round, as a real swap would bring.
    config.entities = { ...e, plugins: e.plugins.map((p) => ({ ...p, config: { minute: 10 + i } })) };
  }
}
