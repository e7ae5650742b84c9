/** ip-restriction: the client's address against allow/deny lists of addresses and CIDR ranges (deny wins). */
import { BlockList, isIP } from 'node:net';
import type { PluginFactory } from '../types.js';
import type { IpRestrictionConfig } from './schema.js';

function blockList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const [ip, bits] = e.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}

export const create: PluginFactory<IpRestrictionConfig> = (config) => {
  const allow = config.allow ? blockList(config.allow) : undefined;
  const deny = config.deny ? blockList(config.deny) : undefined;
  return {
    name: 'ip-restriction',
    priority: 990,
    access(ctx) {
      const ip = ctx.request.ip;
      const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      const denied = (deny !== undefined && deny.check(ip, type)) || (allow !== undefined && !allow.check(ip, type));
      if (denied) ctx.response.exit(config.status, { message: config.message });
    },
  };
};
