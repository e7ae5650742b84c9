import { z } from 'zod';
import { opsSchema } from '../transform-ops.js';

export const schema = z
  .strictObject(opsSchema(['headers', 'querystring']))
  .describe('request-transformer: remove, rename, replace, add and append request headers and query parameters.');

export type RequestTransformerConfig = z.output<typeof schema>;
