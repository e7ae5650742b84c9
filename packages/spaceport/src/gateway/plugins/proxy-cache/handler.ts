/**
 * proxy-cache (memory): answers repeated GET/HEAD requests from a per-worker cache keyed by method, host,
 * path, query and consumer. `X-Cache-Status` is Hit, Miss or Bypass; `X-Cache-Key` names the entry.
 */
import { createHash } from 'node:crypto';
import type { PluginContext, PluginFactory } from '../types.js';
import type { ProxyCacheConfig } from './schema.js';

interface Entry {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  expires: number;
}

const SKIP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'set-cookie']);

export const create: PluginFactory<ProxyCacheConfig> = (config) => {
  const cache = new Map<string, Entry>();
  const methods = new Set(config.request_method);
  const codes = new Set(config.response_code);
  const types = new Set(config.content_type.map((t) => t.toLowerCase()));
  const ttl = config.cache_ttl * 1000;
  const noStore = (v: string | undefined) => v !== undefined && /no-store|no-cache|private/i.test(v);

  const keyOf = (ctx: PluginContext) =>
    createHash('md5')
      .update(`${ctx.request.method}|${ctx.request.header('host') ?? ''}|${ctx.request.path}|${ctx.request.rawQuery}|${ctx.consumer?.id ?? ''}`)
      .digest('hex');

  return {
    name: 'proxy-cache',
    priority: 100,
    access(ctx) {
      if (!methods.has(ctx.request.method) || (config.cache_control && noStore(ctx.request.header('cache-control')))) {
        ctx.response.setHeader('X-Cache-Status', 'Bypass');
        return;
      }
      const key = keyOf(ctx);
      const hit = cache.get(key);
      if (hit !== undefined && hit.expires > Date.now()) {
        const age = String(Math.floor((ttl - (hit.expires - Date.now())) / 1000));
        return ctx.response.exit(hit.status, hit.body, { ...hit.headers, 'X-Cache-Status': 'Hit', 'X-Cache-Key': key, Age: age });
      }
      if (hit !== undefined) cache.delete(key);
      ctx.shared.set('proxy-cache:key', key);
      ctx.response.setHeader('X-Cache-Status', 'Miss');
      ctx.response.setHeader('X-Cache-Key', key);
    },
    response(ctx) {
      const key = ctx.shared.get('proxy-cache:key') as string | undefined;
      if (key === undefined) return;
      const status = ctx.response.status;
      const type = (ctx.response.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!codes.has(status) || !types.has(type) || (config.cache_control && noStore(ctx.response.header('cache-control')))) {
        ctx.response.setHeader('X-Cache-Status', 'Bypass');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(ctx.response.headers())) if (!SKIP.has(k) && !k.startsWith('x-cache-')) headers[k] = v;
      ctx.response.collectBody((body) => {
        if (cache.size >= config.memory.max_entries) cache.delete(cache.keys().next().value!);
        cache.set(key, { status, headers, body, expires: Date.now() + ttl });
      });
    },
  };
};
