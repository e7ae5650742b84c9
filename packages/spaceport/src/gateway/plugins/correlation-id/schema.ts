import { z } from 'zod';

export const schema = z
  .strictObject({
    header_name: z.string().min(1).default('Kong-Request-ID').describe('Header carrying the id. Default: Kong-Request-ID.'),
    generator: z.enum(['uuid', 'uuid#counter', 'tracker']).default('uuid#counter').describe('How ids are made. Default: uuid#counter.'),
    echo_downstream: z.boolean().default(false).describe('Also send the id back to the client. Default: false.'),
  })
  .describe('correlation-id: a unique id per request in a header, kept when the client sent one.');

export type CorrelationIdConfig = z.output<typeof schema>;
