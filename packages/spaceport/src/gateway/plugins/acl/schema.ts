import { z } from 'zod';

export const schema = z
  .strictObject({
    allow: z.array(z.string()).optional().describe('Groups allowed (everyone else gets 403). Default: none.'),
    deny: z.array(z.string()).optional().describe('Groups denied (everyone else passes). Default: none.'),
    hide_groups_header: z.boolean().default(false).describe('Do not send X-Consumer-Groups upstream. Default: false.'),
  })
  .refine((c) => (c.allow === undefined) !== (c.deny === undefined), { message: 'set exactly one of allow or deny' })
  .describe('acl: allow or deny consumers by group; needs an auth plugin before it.');

export type AclConfig = z.output<typeof schema>;
