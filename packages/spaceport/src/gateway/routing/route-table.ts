/**
 * The compiled routing table. Routes are expanded into matchers (one per path), sorted once by Kong's
 * precedence, and indexed by host, so a request costs a map lookup and a short scan: no regex is built
 * and no closure is allocated per request.
 *
 * Precedence, most specific first: exact host > wildcard host > any host; then regex paths (by
 * regex_priority) before prefix paths (longest first); then more headers; then routes with methods;
 * then declaration order.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Something with headers, read only when a route has header conditions (building them costs). */
export interface HasHeaders {
  readonly headers: IncomingHttpHeaders;
}
import type { RouteEntity } from '../entities.js';

export interface Matcher<T> {
  readonly value: T;
  readonly route: RouteEntity;
  readonly prefix: string | null;
  readonly regex: RegExp | null;
  readonly methods: ReadonlySet<string> | null;
  readonly headers: readonly (readonly [string, ReadonlySet<string>])[] | null;
  readonly hostKind: 0 | 1 | 2;
  readonly order: number;
}

export interface RouteMatch<T> {
  value: T;
  route: RouteEntity;
  /** The request path with the matched part removed when the route strips it. */
  strippedPath: string;
}

interface Wildcard<T> {
  test(host: string): boolean;
  matchers: Matcher<T>[];
}

const MAX_HOST_CACHE = 10_000;

export class RouteTable<T> {
  private readonly exact = new Map<string, Matcher<T>[]>();
  private readonly wildcards: Wildcard<T>[] = [];
  private readonly anyHost: Matcher<T>[];
  private readonly byHost = new Map<string, Matcher<T>[]>();
  readonly size: number;

  /** Compiles routes; `value(route)` attaches what the caller needs on a match (service, plugins). */
  constructor(routes: readonly RouteEntity[], value: (route: RouteEntity) => T) {
    const any: Matcher<T>[] = [];
    let order = 0;
    for (const route of routes) {
      const v = value(route);
      const methods = route.methods.length ? new Set(route.methods.map((m) => m.toUpperCase())) : null;
      const hdrs = Object.entries(route.headers);
      const headers = hdrs.length ? hdrs.map(([k, vals]) => [k.toLowerCase(), new Set(vals.map((x) => x.toLowerCase()))] as const) : null;
      const paths: (string | null)[] = route.paths.length ? route.paths : [null];
      const hosts = route.hosts.map((h) => stripPort(h.toLowerCase()));
      for (const p of paths) {
        const prefix = p !== null && !p.startsWith('~') ? p : null;
        const regex = p !== null && p.startsWith('~') ? new RegExp(`^(?:${p.slice(1)})`) : null;
        const make = (hostKind: 0 | 1 | 2): Matcher<T> => ({ value: v, route, prefix, regex, methods, headers, hostKind, order });
        order++;
        if (hosts.length === 0) {
          any.push(make(0));
          continue;
        }
        for (const h of hosts) {
          if (h.includes('*')) this.wildcards.push({ test: wildcardTest(h), matchers: [make(1)] });
          else {
            const list = this.exact.get(h);
            if (list) list.push(make(2));
            else this.exact.set(h, [make(2)]);
          }
        }
      }
    }
    this.size = order;
    this.anyHost = any.sort(compare);
    for (const list of this.exact.values()) list.sort(compare);
  }

  /** The matching route for a request, or undefined (404). `host` may carry a port. */
  match(hostHeader: string | undefined, path: string, method: string, headers: HasHeaders): RouteMatch<T> | undefined {
    // Host kind is the first precedence key, so exact, wildcard and any-host lists are scanned in turn.
    const host = hostHeader ? stripPort(hostHeader.toLowerCase()) : '';
    const exact = this.exact.get(host);
    if (exact !== undefined) {
      const hit = this.scan(exact, path, method, headers);
      if (hit !== undefined) return hit;
    }
    if (this.wildcards.length !== 0) {
      const hit = this.scan(this.wildcardList(host), path, method, headers);
      if (hit !== undefined) return hit;
    }
    return this.scan(this.anyHost, path, method, headers);
  }

  private scan(list: Matcher<T>[], path: string, method: string, headers: HasHeaders): RouteMatch<T> | undefined {
    for (let i = 0; i < list.length; i++) {
      const m = list[i]!;
      if (m.methods !== null && !m.methods.has(method)) continue;
      if (m.headers !== null && !headersMatch(m.headers, headers.headers)) continue;
      let matchedLen = 0;
      if (m.prefix !== null) {
        if (!path.startsWith(m.prefix)) continue;
        matchedLen = m.prefix.length;
      } else if (m.regex !== null) {
        const r = m.regex.exec(path);
        if (r === null) continue;
        matchedLen = r[0].length;
      }
      let strippedPath = path;
      if (m.route.strip_path && matchedLen > 0) {
        strippedPath = path.slice(matchedLen);
        if (strippedPath === '' || strippedPath.charCodeAt(0) !== 47 /* / */) strippedPath = `/${strippedPath}`;
      }
      return { value: m.value, route: m.route, strippedPath };
    }
    return undefined;
  }

  private wildcardList(host: string): Matcher<T>[] {
    let list = this.byHost.get(host);
    if (list) return list;
    list = this.wildcardsFor(host).sort(compare);
    // Crafted hosts cannot grow the cache without bound: it is dropped when full.
    if (this.byHost.size >= MAX_HOST_CACHE) this.byHost.clear();
    this.byHost.set(host, list);
    return list;
  }

  private wildcardsFor(host: string): Matcher<T>[] {
    const out: Matcher<T>[] = [];
    for (const w of this.wildcards) if (w.test(host)) out.push(...w.matchers);
    return out;
  }
}

function headersMatch(want: readonly (readonly [string, ReadonlySet<string>])[], headers: IncomingHttpHeaders): boolean {
  for (const [name, values] of want) {
    const v = headers[name];
    if (v === undefined) return false;
    if (typeof v === 'string') {
      if (!values.has(v.toLowerCase())) return false;
    } else if (!v.some((x) => values.has(x.toLowerCase()))) return false;
  }
  return true;
}

function compare<T>(a: Matcher<T>, b: Matcher<T>): number {
  if (a.hostKind !== b.hostKind) return b.hostKind - a.hostKind;
  const ar = a.regex !== null ? 1 : 0;
  const br = b.regex !== null ? 1 : 0;
  if (ar !== br) return br - ar;
  if (ar === 1 && a.route.regex_priority !== b.route.regex_priority) return b.route.regex_priority - a.route.regex_priority;
  const al = a.prefix?.length ?? 0;
  const bl = b.prefix?.length ?? 0;
  if (al !== bl) return bl - al;
  const ah = a.headers?.length ?? 0;
  const bh = b.headers?.length ?? 0;
  if (ah !== bh) return bh - ah;
  const am = a.methods !== null ? 1 : 0;
  const bm = b.methods !== null ? 1 : 0;
  if (am !== bm) return bm - am;
  return a.order - b.order;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const i = host.indexOf(':');
  return i < 0 ? host : host.slice(0, i);
}

/** `*.example.com` matches one or more leading labels; `example.*` any trailing ones. */
function wildcardTest(pattern: string): (host: string) => boolean {
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    return (h) => h.length > suffix.length && h.endsWith(suffix);
  }
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return (h) => h.length > prefix.length && h.startsWith(prefix);
  }
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}$`);
  return (h) => re.test(h);
}
