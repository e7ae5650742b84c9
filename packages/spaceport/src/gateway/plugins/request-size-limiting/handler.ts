/**
 * request-size-limiting: refuses (413) a request whose Content-Length is over the limit; a body without one
 * (chunked) is counted as it streams and refused when it passes the limit.
 */
import type { PluginFactory } from '../types.js';
import type { RequestSizeLimitingConfig } from './schema.js';

const UNIT = { megabytes: 1024 * 1024, kilobytes: 1024, bytes: 1 } as const;

export const create: PluginFactory<RequestSizeLimitingConfig> = (config) => {
  const limit = config.allowed_payload_size * UNIT[config.size_unit];
  return {
    name: 'request-size-limiting',
    priority: 951,
    access(ctx) {
      const len = ctx.request.contentLength;
      if (len === undefined) {
        if (ctx.request.header('transfer-encoding') === undefined) return;
        if (config.require_content_length) ctx.response.exit(411, { message: 'A valid Content-Length header is required' });
        else ctx.request.limitBody(limit);
        return;
      }
      if (len > limit) ctx.response.exit(413, { message: 'Request size limit exceeded' });
    },
  };
};
