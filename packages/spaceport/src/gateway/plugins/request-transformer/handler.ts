/** request-transformer: rewrites the upstream request's headers and query string (Kong's operations and order). */
import { applyOps, compileOps, HeaderTarget, isEmpty, QueryTarget } from '../transform-ops.js';
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
      applyOps(headers, new HeaderTarget(r));
      if (!doQuery) return;
      const q = r.query();
      applyOps(query, new QueryTarget(q));
      r.setQuery(q);
    },
  };
};
