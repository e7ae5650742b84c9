import { z } from 'zod';

export const schema = z
  .strictObject({
    origins: z.array(z.string().min(1)).default(['*']).describe('Allowed origins: exact, * for any, or a regex such as https://.*\\.example\\.com. Default: [*].'),
    methods: z
      .array(z.string().transform((m) => m.toUpperCase()))
      .default(['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'])
      .describe('Methods allowed in preflight answers. Default: GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS.'),
    headers: z.array(z.string()).optional().describe('Request headers allowed; default: those the preflight asks for.'),
    exposed_headers: z.array(z.string()).default([]).describe('Response headers the browser may read. Default: none.'),
    credentials: z.boolean().default(false).describe('Send Access-Control-Allow-Credentials: true. Default: false.'),
    max_age: z.number().int().min(0).optional().describe('Seconds a preflight answer may be cached. Default: none.'),
    preflight_continue: z.boolean().default(false).describe('Proxy preflight requests to the upstream instead of answering them. Default: false.'),
  })
  .describe('cors: Cross-Origin Resource Sharing headers and preflight answers.');

export type CorsConfig = z.output<typeof schema>;
