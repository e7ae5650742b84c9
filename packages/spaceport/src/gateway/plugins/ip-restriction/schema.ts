import { isIP } from 'node:net';
import { z } from 'zod';

const cidr = z.string().refine((s) => {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || !ip || !isIP(ip)) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(ip) === 4 ? 32 : 128);
}, 'not an IP address or CIDR range, such as 10.0.0.0/8 or ::1');

export const schema = z
  .strictObject({
    allow: z.array(cidr).optional().describe('Addresses or CIDR ranges allowed; everyone else gets 403. Default: none.'),
    deny: z.array(cidr).optional().describe('Addresses or CIDR ranges denied. Default: none.'),
    status: z.number().int().min(400).max(599).default(403).describe('Status of a refusal. Default: 403.'),
    message: z.string().default('Your IP address is not allowed').describe('Message of a refusal.'),
  })
  .refine((c) => c.allow !== undefined || c.deny !== undefined, { message: 'set allow, deny or both' })
  .describe('ip-restriction: allow or deny clients by address.');

export type IpRestrictionConfig = z.output<typeof schema>;
