/** response-transformer: rewrites the response headers before they reach the client. */
import { applyOps, compileOps, HeaderTarget } from '../transform-ops.js';
import type { PluginFactory } from '../types.js';
import type { ResponseTransformerConfig } from './schema.js';

export const create: PluginFactory<ResponseTransformerConfig> = (config) => {
  const headers = compileOps(config, 'headers');
  return {
    name: 'response-transformer',
    priority: 800,
    response(ctx) {
      applyOps(headers, new HeaderTarget(ctx.response));
    },
  };
};
