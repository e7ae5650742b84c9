/** basic-auth: `Authorization: Basic` credentials of a consumer (password compared in constant time); 401 otherwise. */
import { authenticate } from '../consumer-headers.js';
import type { PluginFactory } from '../types.js';
import type { BasicAuthConfig } from './schema.js';

export const create: PluginFactory<BasicAuthConfig> = (config, env) => {
  const anonymous = config.anonymous === undefined ? undefined : env.consumerByName(config.anonymous);
  if (config.anonymous !== undefined && anonymous === undefined) throw new Error(`anonymous consumer "${config.anonymous}" does not exist`);
  const challenge = { 'WWW-Authenticate': `Basic realm="${config.realm}"` };
  return {
    name: 'basic-auth',
    priority: 1100,
    access(ctx) {
      if (ctx.consumer !== undefined && ctx.shared.get('anonymous') !== true) return;
      const h = ctx.request.header('authorization');
      let user: string | undefined;
      let consumer;
      if (h !== undefined && /^basic /i.test(h)) {
        const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        if (i > 0) {
          user = decoded.slice(0, i);
          consumer = env.consumerByBasic(user, decoded.slice(i + 1));
        }
      }
      if (consumer === undefined) {
        if (anonymous !== undefined) {
          ctx.shared.set('anonymous', true);
          return authenticate(ctx, anonymous, undefined, true);
        }
        return ctx.response.exit(401, { message: h === undefined ? 'Unauthorized' : 'Invalid authentication credentials' }, challenge);
      }
      if (config.hide_credentials) ctx.request.removeHeader('authorization');
      authenticate(ctx, consumer, user, false);
    },
  };
};
