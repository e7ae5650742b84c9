/** prometheus: counts requests by service, route and status, and observes latency, in Kong's metric names. */
import type { PluginFactory } from '../types.js';
import type { PrometheusConfig } from './schema.js';

const BUCKETS = [1, 2, 5, 7, 10, 15, 20, 30, 50, 75, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000] as const;

export const create: PluginFactory<PrometheusConfig> = (config, env) => {
  const m = env.metrics;
  return {
    name: 'prometheus',
    priority: 13,
    log(ctx) {
      const base = `service="${ctx.service}",route="${ctx.route}"`;
      if (config.status_code_metrics) {
        const consumer = config.per_consumer ? `,consumer="${ctx.consumer?.username ?? ''}"` : '';
        m.inc('kong_http_requests_total', `${base},code="${ctx.response.status}",source="${ctx.response.status >= 500 ? 'upstream' : 'service'}"${consumer}`);
      }
      if (config.latency_metrics) m.observe('kong_request_latency_ms', base, ctx.elapsed(), BUCKETS);
    },
  };
};
