/** cors: answers preflight requests and adds Access-Control-* headers for allowed origins. */
import type { PluginContext, PluginFactory } from '../types.js';
import type { CorsConfig } from './schema.js';

export const create: PluginFactory<CorsConfig> = (config) => {
  const any = config.origins.includes('*');
  const exact = new Set(config.origins.filter((o) => !/[\\^$*+?()[\]{}|]/.test(o)));
  const patterns = config.origins.filter((o) => o !== '*' && !exact.has(o)).map((o) => new RegExp(`^(?:${o})$`));
  const methods = config.methods.join(', ');
  const exposed = config.exposed_headers.join(', ');
  const allowedOrigin = (origin: string | undefined): string | undefined => {
    if (any) return config.credentials && origin ? origin : '*';
    if (origin === undefined) return undefined;
    if (exact.has(origin) || patterns.some((p) => p.test(origin))) return origin;
    return undefined;
  };
  const common = (ctx: PluginContext, headers: Record<string, string>, origin: string) => {
    headers['Access-Control-Allow-Origin'] = origin;
    if (origin !== '*') headers['Vary'] = 'Origin';
    if (config.credentials) headers['Access-Control-Allow-Credentials'] = 'true';
    void ctx;
  };
  return {
    name: 'cors',
    priority: 2000,
    access(ctx) {
      const origin = ctx.request.header('origin');
      const allowed = allowedOrigin(origin);
      const preflight = ctx.request.method === 'OPTIONS' && ctx.request.header('access-control-request-method') !== undefined;
      if (preflight && !config.preflight_continue) {
        const h: Record<string, string> = {};
        if (allowed !== undefined) {
          common(ctx, h, allowed);
          h['Access-Control-Allow-Methods'] = methods;
          const asked = ctx.request.header('access-control-request-headers');
          const hdrs = config.headers ? config.headers.join(', ') : asked;
          if (hdrs) h['Access-Control-Allow-Headers'] = hdrs;
          if (config.max_age !== undefined) h['Access-Control-Max-Age'] = String(config.max_age);
        }
        return ctx.response.exit(200, undefined, h);
      }
      if (allowed === undefined) return;
      const h: Record<string, string> = {};
      common(ctx, h, allowed);
      if (exposed) h['Access-Control-Expose-Headers'] = exposed;
      for (const [k, v] of Object.entries(h)) ctx.response.setHeader(k, v);
    },
  };
};
