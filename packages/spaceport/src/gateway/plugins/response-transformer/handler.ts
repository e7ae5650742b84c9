/** response-transformer: rewrites the response headers before they reach the client. */
import { applyOps, compileOps } from '../transform-ops.js';
import type { PluginFactory } from '../types.js';
import type { ResponseTransformerConfig } from './schema.js';

export const create: PluginFactory<ResponseTransformerConfig> = (config) => {
  const headers = compileOps(config, 'headers');
  return {
    name: 'response-transformer',
    priority: 800,
    response(ctx) {
      const r = ctx.response;
      applyOps(headers, {
        get: (n) => r.header(n),
        set: (n, v) => r.setHeader(n, v),
        remove: (n) => r.removeHeader(n),
        append: (n, v) => {
          const old = r.header(n);
          r.setHeader(n, old === undefined ? v : `${old}, ${v}`);
        },
      });
    },
  };
};
