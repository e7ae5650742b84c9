/** acl: after authentication, lets a consumer through by its groups (allow or deny list); 403 otherwise. */
import type { PluginFactory } from '../types.js';
import type { AclConfig } from './schema.js';

export const create: PluginFactory<AclConfig> = (config) => {
  const allow = config.allow ? new Set(config.allow) : undefined;
  const deny = config.deny ? new Set(config.deny) : undefined;
  return {
    name: 'acl',
    priority: 950,
    access(ctx) {
      const c = ctx.consumer;
      if (c === undefined) return ctx.response.exit(401, { message: 'Unauthorized: acl needs an authenticated consumer (add key-auth or basic-auth)' });
      const ok = allow !== undefined ? c.groups.some((g) => allow.has(g)) : !c.groups.some((g) => deny!.has(g));
      if (!ok) return ctx.response.exit(403, { message: 'You cannot consume this service' });
      if (!config.hide_groups_header) ctx.request.setHeader('X-Consumer-Groups', c.groups.join(', '));
    },
  };
};
