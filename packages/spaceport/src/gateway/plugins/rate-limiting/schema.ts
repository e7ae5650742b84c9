import { z } from 'zod';

const limit = (what: string) => z.number().int().positive().optional().describe(`Requests allowed per ${what}. Default: none.`);

export const schema = z
  .strictObject({
    second: limit('second'),
    minute: limit('minute'),
    hour: limit('hour'),
    day: limit('day'),
    limit_by: z.enum(['consumer', 'ip', 'header']).default('consumer').describe('What is counted: the consumer (the IP when none), the client IP, or a header. Default: consumer.'),
    header_name: z.string().optional().describe('Header counted when limit_by is header.'),
    policy: z.enum(['local']).default('local').describe('Where counters live: local (in the gateway worker). Default: local.'),
    fault_tolerant: z.boolean().default(true).describe('Kept for Kong compatibility; local counters cannot fail. Default: true.'),
    hide_client_headers: z.boolean().default(false).describe('Do not send the rate-limit headers to the client. Default: false.'),
  })
  .superRefine((c, ctx) => {
    if (c.second === undefined && c.minute === undefined && c.hour === undefined && c.day === undefined) {
      ctx.addIssue({ code: 'custom', message: 'set at least one limit: second, minute, hour or day' });
    }
    if (c.limit_by === 'header' && !c.header_name) ctx.addIssue({ code: 'custom', path: ['header_name'], message: 'limit_by: header needs header_name' });
  })
  .describe('rate-limiting: fixed-window limits per second/minute/hour/day.');

export type RateLimitingConfig = z.output<typeof schema>;
