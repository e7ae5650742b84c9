import { z } from 'zod';

export const schema = z
  .strictObject({
    strategy: z.enum(['memory']).default('memory').describe('Where responses are kept: memory (per worker). Default: memory.'),
    response_code: z.array(z.number().int().min(100).max(599)).default([200, 301, 404]).describe('Statuses cached. Default: 200, 301, 404.'),
    request_method: z.array(z.string().transform((m) => m.toUpperCase())).default(['GET', 'HEAD']).describe('Methods cached. Default: GET, HEAD.'),
    content_type: z.array(z.string()).default(['text/plain', 'application/json']).describe('Content types cached (parameters ignored). Default: text/plain, application/json.'),
    cache_ttl: z.number().int().positive().default(300).describe('Seconds an entry is served. Default: 300.'),
    cache_control: z.boolean().default(false).describe('Honour Cache-Control (no-store, no-cache, private) of requests and responses. Default: false.'),
    memory: z
      .strictObject({ max_entries: z.number().int().positive().default(10_000).describe('Entries kept; the oldest go first. Default: 10000.') })
      .default({ max_entries: 10_000 })
      .describe('Memory strategy options.'),
  })
  .describe('proxy-cache: caches upstream responses in memory; X-Cache-Status says Hit, Miss or Bypass.');

export type ProxyCacheConfig = z.output<typeof schema>;
