import { z } from 'zod';

export const schema = z
  .strictObject({
    allowed_payload_size: z.number().positive().default(128).describe('Largest request body allowed, in size_unit. Default: 128.'),
    size_unit: z.enum(['megabytes', 'kilobytes', 'bytes']).default('megabytes').describe('Unit of allowed_payload_size. Default: megabytes.'),
    require_content_length: z.boolean().default(false).describe('Refuse requests with a body but no Content-Length (411). Default: false.'),
  })
  .describe('request-size-limiting: 413 for request bodies over a size.');

export type RequestSizeLimitingConfig = z.output<typeof schema>;
