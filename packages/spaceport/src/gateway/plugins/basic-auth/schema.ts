import { z } from 'zod';

export const schema = z
  .strictObject({
    hide_credentials: z.boolean().default(false).describe('Remove the Authorization header before proxying. Default: false.'),
    anonymous: z.string().optional().describe('Consumer (username or id) used when no valid credentials are given, instead of 401. Default: none.'),
    realm: z.string().default('service').describe('Realm in the WWW-Authenticate challenge. Default: service.'),
  })
  .describe('basic-auth: requests need HTTP Basic credentials of a consumer.');

export type BasicAuthConfig = z.output<typeof schema>;
