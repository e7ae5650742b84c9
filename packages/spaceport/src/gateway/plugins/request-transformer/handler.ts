/** request-transformer: rewrites the upstream request's headers and query string (Kong's operations and order). */
import { applyOps, compileOps, isEmpty } from '../transform-ops.js';
import type { PluginFactory } from '../types.js';
import type { RequestTransformerConfig } from './schema.js';

export const create: PluginFactory<RequestTransformerConfig> = (config) => {
  const headers = compileOps(config, 'headers');
  const query = compileOps(config, 'querystring');
  const doQuery = !isEmpty(query);
  return {
    name: 'request-transformer',
    priority: 801,
    access(ctx) {
      const r = ctx.request;
      applyOps(headers, {
        get: (n) => r.header(n),
        set: (n, v) => r.setHeader(n, v),
        remove: (n) => r.removeHeader(n),
        append: (n, v) => {
          const old = r.header(n);
          r.setHeader(n, old === undefined ? v : `${old}, ${v}`);
        },
      });
      if (!doQuery) return;
      const q = r.query();
      applyOps(query, {
        get: (n) => q.get(n) ?? undefined,
        set: (n, v) => q.set(n, v),
        remove: (n) => q.delete(n),
        append: (n, v) => q.append(n, v),
      });
      r.setQuery(q);
    },
  };
};
