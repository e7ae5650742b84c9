/** key-auth: finds the consumer by API key in a header or the query string; 401 without a valid one. */
import { authenticate } from '../consumer-headers.js';
import type { PluginFactory, PluginContext } from '../types.js';
import type { KeyAuthConfig } from './schema.js';

export const create: PluginFactory<KeyAuthConfig> = (config, env) => {
  const names = config.key_names.map((n) => n.toLowerCase());
  const anonymous = config.anonymous === undefined ? undefined : env.consumerByName(config.anonymous);
  if (config.anonymous !== undefined && anonymous === undefined) throw new Error(`anonymous consumer "${config.anonymous}" does not exist`);
  return {
    name: 'key-auth',
    priority: 1250,
    access(ctx: PluginContext) {
      if (ctx.consumer !== undefined && ctx.shared.get('anonymous') !== true) return;
      let key: string | undefined;
      let from: 'header' | 'query' | undefined;
      let name = '';
      if (config.key_in_header) {
        for (const n of names) {
          key = ctx.request.header(n);
          if (key !== undefined) {
            from = 'header';
            name = n;
            break;
          }
        }
      }
      if (key === undefined && config.key_in_query && ctx.request.rawQuery !== '') {
        const q = ctx.request.query();
        for (const n of config.key_names) {
          const v = q.get(n);
          if (v !== null) {
            key = v;
            from = 'query';
            name = n;
            break;
          }
        }
      }
      const consumer = key === undefined ? undefined : env.consumerByKey(key);
      if (consumer === undefined) {
        if (anonymous !== undefined) {
          ctx.shared.set('anonymous', true);
          return authenticate(ctx, anonymous, undefined, true);
        }
        return ctx.response.exit(401, { message: key === undefined ? 'No API key found in request' : 'Invalid authentication credentials' }, { 'WWW-Authenticate': `Key realm="spaceport"` });
      }
      if (config.hide_credentials) {
        if (from === 'header') ctx.request.removeHeader(name);
        else {
          const q = ctx.request.query();
          q.delete(name);
          ctx.request.setQuery(q);
        }
      }
      authenticate(ctx, consumer, consumer.username, false);
    },
  };
};
