/**
 * rate-limiting (local policy): fixed windows aligned to the clock, counted per consumer, IP or header.
 * Kong's headers on every answer (RateLimit-Limit/Remaining/Reset for the tightest window and
 * X-RateLimit-Limit-<Period>/X-RateLimit-Remaining-<Period> for each), 429 with Retry-After past a limit.
 * Counters live in the worker: with N workers a client may get up to N times the limit.
 */
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
  limitHeader: string;
  remainingHeader: string;
  limitText: string;
}

interface Counter {
  starts: number[];
  counts: number[];
}

export const create: PluginFactory<RateLimitingConfig> = (config) => {
  const windows: Window[] = [];
  for (const [key, ms, label] of PERIODS) {
    const limit = config[key];
    if (limit !== undefined) windows.push({ limit, ms, limitHeader: `X-RateLimit-Limit-${label}`, remainingHeader: `X-RateLimit-Remaining-${label}`, limitText: String(limit) });
  }
  const longest = windows[windows.length - 1]!.ms;
  const counters = new Map<string, Counter>();
  let nextSweep = Date.now() + longest;
  const header = config.header_name?.toLowerCase();

  const identify = (ctx: PluginContext): string => {
    if (config.limit_by === 'consumer' && ctx.consumer !== undefined) return ctx.consumer.id;
    if (config.limit_by === 'header' && header !== undefined) return `h:${ctx.request.header(header) ?? ''}`;
    return ctx.request.ip;
  };

  return {
    name: 'rate-limiting',
    priority: 910,
    access(ctx) {
      const now = Date.now();
      if (now > nextSweep) {
        // Entries whose longest window ended are dropped, so idle clients do not accumulate.
        for (const [k, c] of counters) if (c.starts[c.starts.length - 1]! + longest <= now) counters.delete(k);
        nextSweep = now + longest;
      }
      const id = identify(ctx);
      let c = counters.get(id);
      if (c === undefined) {
        c = { starts: windows.map(() => 0), counts: windows.map(() => 0) };
        counters.set(id, c);
      }
      let exceeded = -1;
      let tightest = 0;
      let tightestRemaining = Infinity;
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        const start = now - (now % w.ms);
        if (c.starts[i] !== start) {
          c.starts[i] = start;
          c.counts[i] = 0;
        }
        const remaining = w.limit - c.counts[i]!;
        if (remaining <= 0 && exceeded < 0) exceeded = i;
        if (remaining < tightestRemaining) {
          tightestRemaining = remaining;
          tightest = i;
        }
      }
      const res = ctx.response;
      if (exceeded >= 0) {
        const w = windows[exceeded]!;
        const retry = Math.max(1, Math.ceil((c.starts[exceeded]! + w.ms - now) / 1000));
        const headers: Record<string, string> = { 'Retry-After': String(retry) };
        if (!config.hide_client_headers) {
          for (let i = 0; i < windows.length; i++) {
            headers[windows[i]!.limitHeader] = windows[i]!.limitText;
            headers[windows[i]!.remainingHeader] = String(Math.max(0, windows[i]!.limit - c.counts[i]!));
          }
          headers['RateLimit-Limit'] = w.limitText;
          headers['RateLimit-Remaining'] = '0';
          headers['RateLimit-Reset'] = String(retry);
        }
        return res.exit(429, { message: 'API rate limit exceeded' }, headers);
      }
      for (let i = 0; i < windows.length; i++) c.counts[i]!++;
      if (config.hide_client_headers) return;
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        res.setHeader(w.limitHeader, w.limitText);
        res.setHeader(w.remainingHeader, String(w.limit - c.counts[i]!));
      }
      const t = windows[tightest]!;
      res.setHeader('RateLimit-Limit', t.limitText);
      res.setHeader('RateLimit-Remaining', String(t.limit - c.counts[tightest]!));
      res.setHeader('RateLimit-Reset', String(Math.max(1, Math.ceil((c.starts[tightest]! + t.ms - now) / 1000))));
    },
  };
};
