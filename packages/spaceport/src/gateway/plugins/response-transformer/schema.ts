import { z } from 'zod';
import { opsSchema } from '../transform-ops.js';

export const schema = z
  .strictObject(opsSchema(['headers']))
  .describe('response-transformer: remove, rename, replace, add and append response headers.');

export type ResponseTransformerConfig = z.output<typeof schema>;
