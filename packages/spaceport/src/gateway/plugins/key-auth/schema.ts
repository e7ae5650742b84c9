import { z } from 'zod';

export const schema = z
  .strictObject({
    key_names: z.array(z.string().min(1)).min(1).default(['apikey']).describe('Header or query parameter names that carry the key. Default: [apikey].'),
    key_in_header: z.boolean().default(true).describe('Look for the key in headers. Default: true.'),
    key_in_query: z.boolean().default(true).describe('Look for the key in the query string. Default: true.'),
    hide_credentials: z.boolean().default(false).describe('Remove the key before proxying. Default: false.'),
    anonymous: z.string().optional().describe('Consumer (username or id) used when no valid key is given, instead of 401. Default: none.'),
  })
  .describe('key-auth: requests need an API key of a consumer.');

export type KeyAuthConfig = z.output<typeof schema>;
