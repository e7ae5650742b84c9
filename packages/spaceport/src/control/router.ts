/** The control API's router: method + path patterns with `:params`, matched segment by segment. */
import type { ControlHandler, ControlRouter } from './router-types.js';

interface Route {
  method: string;
  segments: string[];
  handler: ControlHandler;
}

export class Router implements ControlRouter {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: ControlHandler): void {
    this.routes.push({ method: method.toUpperCase(), segments: split(path), handler });
  }

  /** The handler and params for a request; `allowed` lists the methods of a path that matched otherwise. */
  match(method: string, path: string): { handler?: ControlHandler; params: Record<string, string>; allowed: string[] } {
    const parts = split(path);
    const allowed: string[] = [];
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === method.toUpperCase()) return { handler: r.handler, params, allowed };
      allowed.push(r.method);
    }
    return { params: {}, allowed };
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(parts[i]!);
    else if (p !== parts[i]) return undefined;
  }
  return params;
}
