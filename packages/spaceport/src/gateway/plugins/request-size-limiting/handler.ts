/** request-size-limiting: refuses (413) a request whose Content-Length is over the limit. */
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
        if (config.require_content_length && ctx.request.header('transfer-encoding') !== undefined) {
          ctx.response.exit(411, { message: 'A valid Content-Length header is required' });
        }
        return;
      }
      if (len > limit) ctx.response.exit(413, { message: 'Request size limit exceeded' });
    },
  };
};
