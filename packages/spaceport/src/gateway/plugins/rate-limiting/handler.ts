/**
 * rate-limiting (local policy): fixed windows aligned to the clock, counted per consumer, IP or header,
 * node-wide: the counters are shared by the gateway's workers (synced every 50 ms). Kong's headers on
 * every answer (RateLimit-Limit/Remaining/Reset for the tightest window and X-RateLimit-Limit-<Period>/
 * X-RateLimit-Remaining-<Period> for each), 429 `{"message":"API rate limit exceeded"}` with Retry-After.
 */
import { now as clockNow } from '../../clock.js';
import type { PluginContext, PluginFactory } from '../types.js';
import type { RateLimitingConfig } from './schema.js';

const PERIODS = [
  ['second', 1000, 'Second'],
  ['minute', 60_000, 'Minute'],
  ['hour', 3_600_000, 'Hour'],
  ['day', 86_400_000, 'Day'],
] as const;

interface Window {
  limit: number;
  ms: number;
  /** Key prefix: plugin instance and period. */
  prefix: string;
  limitHeader: string;
  remainingHeader: string;
  limitText: string;
}

export const create: PluginFactory<RateLimitingConfig> = (config, env) => {
  const windows: Window[] = [];
  for (const [key, ms, label] of PERIODS) {
    const limit = config[key];
    if (limit !== undefined) {
      windows.push({ limit, ms, prefix: `rl|${env.instanceId}|${key}|`, limitHeader: `X-RateLimit-Limit-${label}`, remainingHeader: `X-RateLimit-Remaining-${label}`, limitText: String(limit) });
    }
  }
  const counters = env.counters;
  const header = config.header_name?.toLowerCase();
  const n = windows.length;
  // Counter keys by identity (prefix + id per window), so a request builds no key strings; bounded.
  const keyCache = new Map<string, string[]>();
  const keysOf = (id: string): string[] => {
    let keys = keyCache.get(id);
    if (keys === undefined) {
      if (keyCache.size >= 10_000) keyCache.clear();
      keys = windows.map((w) => w.prefix + id);
      keyCache.set(id, keys);
    }
    return keys;
  };
  const counts = new Array<number>(n).fill(0);
  const starts = new Array<number>(n).fill(0);

  const identify = (ctx: PluginContext): string => {
    if (config.limit_by === 'consumer' && ctx.consumer !== undefined) return ctx.consumer.id;
    if (config.limit_by === 'header' && header !== undefined) return `h:${ctx.request.header(header) ?? ''}`;
    return ctx.request.ip;
  };

  return {
    name: 'rate-limiting',
    priority: 910,
    access(ctx) {
      const now = clockNow();
      const keys = keysOf(identify(ctx));
      let exceeded = -1;
      for (let i = 0; i < n; i++) {
        const w = windows[i]!;
        starts[i] = now - (now % w.ms);
        counts[i] = counters.peek(keys[i]!, starts[i]!);
        if (counts[i]! >= w.limit && exceeded < 0) exceeded = i;
      }
      const res = ctx.response;
      if (exceeded >= 0) {
        const w = windows[exceeded]!;
        const retry = Math.max(1, Math.ceil((starts[exceeded]! + w.ms - now) / 1000));
        const headers: Record<string, string> = { 'Retry-After': String(retry) };
        if (!config.hide_client_headers) {
          for (let i = 0; i < n; i++) {
            headers[windows[i]!.limitHeader] = windows[i]!.limitText;
            headers[windows[i]!.remainingHeader] = String(Math.max(0, windows[i]!.limit - counts[i]!));
          }
          headers['RateLimit-Limit'] = w.limitText;
          headers['RateLimit-Remaining'] = '0';
          headers['RateLimit-Reset'] = String(retry);
        }
        return res.exit(429, { message: 'API rate limit exceeded' }, headers);
      }
      let tightest = 0;
      let tightestRemaining = Infinity;
      for (let i = 0; i < n; i++) {
        const w = windows[i]!;
        counts[i] = counters.take(keys[i]!, starts[i]!, w.ms) + 1;
        const remaining = Math.max(0, w.limit - counts[i]!);
        if (remaining < tightestRemaining) {
          tightestRemaining = remaining;
          tightest = i;
        }
        if (!config.hide_client_headers) {
          res.setHeader(w.limitHeader, w.limitText);
          res.setHeader(w.remainingHeader, String(remaining));
        }
      }
      if (config.hide_client_headers) return;
      const t = windows[tightest]!;
      res.setHeader('RateLimit-Limit', t.limitText);
      res.setHeader('RateLimit-Remaining', String(tightestRemaining));
      res.setHeader('RateLimit-Reset', String(Math.max(1, Math.ceil((starts[tightest]! + t.ms - now) / 1000))));
    },
  };
};
