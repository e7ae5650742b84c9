/**
 * @spaceport/internal-auth: accept only requests that came through Spaceport's gateway or internal
 * router, which add `X-Internal-API-Key: <INTERNAL_API_KEY>` to everything they forward. A dyno's own
 * port is reachable by anything on the host; one line of this makes the app answer 401 to the rest.
 *
 *   Node http:  if (!checkInternal(req, res)) return;
 *   Express:    app.use(requireInternal());
 *   fetch-style: const denied = internalGuard()(request); if (denied) return denied;
 *   your own 401 (a WebSocket upgrade, a custom body): const internal = internalCheck(); ... if (!internal(req)) ...
 *
 * The key is read from the INTERNAL_API_KEY env var unless given; keys are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** The header the platform adds (lower case, as Node reports header names). */
export const HEADER = 'x-internal-api-key';

const BODY = JSON.stringify({ message: 'Unauthorized: this endpoint only accepts requests through the Spaceport gateway (X-Internal-API-Key)' });

export interface InternalAuthOptions {
  /** The expected key. Default: process.env.INTERNAL_API_KEY. */
  key?: string;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The configured key, or an error that says how to get one. */
function expectedKey(opts: InternalAuthOptions = {}): string {
  const key = opts.key ?? process.env.INTERNAL_API_KEY;
  if (!key) throw new Error('INTERNAL_API_KEY is not set: run the app under `spaceport up` (it sets it), or pass { key }');
  return key;
}

/**
 * True when `given` equals `key`. Both are hashed first, so the comparison takes the same time whatever
 * the length or content of the guess.
 */
export function keysMatch(given: string | undefined | null, key: string): boolean {
  if (given === undefined || given === null || given === '') return false;
  return timingSafeEqual(digest(given), digest(key));
}

/** True when Node-style headers carry the right key. */
export function isInternal(headers: IncomingHttpHeaders, opts?: InternalAuthOptions): boolean {
  const v = headers[HEADER];
  return keysMatch(Array.isArray(v) ? v[0] : v, expectedKey(opts));
}

function deny(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), 'www-authenticate': 'X-Internal-API-Key' });
  res.end(BODY);
}

/** Node http: answers 401 and returns false when the key is missing or wrong; `if (!checkInternal(req, res)) return;`. */
export function checkInternal(req: IncomingMessage, res: ServerResponse, opts?: InternalAuthOptions): boolean {
  let ok: boolean;
  try {
    ok = isInternal(req.headers, opts);
  } catch {
    ok = false; // no key configured: fail closed
  }
  if (!ok) deny(res);
  return ok;
}

/**
 * A predicate for code that answers the refusal itself (its own 401 body, a WebSocket upgrade, a handler given
 * `authorized` to test it): true when the request carries the key. Unlike the middleware factories it does not
 * throw when no key is configured: the app still starts, says once why every request will be refused (`log`,
 * default console.warn), and the predicate fails closed.
 */
export function internalCheck(opts?: InternalAuthOptions & { log?: (line: string) => void }): (req: IncomingMessage) => boolean {
  const key = opts?.key ?? process.env.INTERNAL_API_KEY;
  if (!key) {
    (opts?.log ?? console.warn)('INTERNAL_API_KEY is not set: every request gets 401. Run this app with `spaceport up`, which sets it.');
    return () => false;
  }
  return (req) => {
    const v = req.headers[HEADER];
    return keysMatch(Array.isArray(v) ? v[0] : v, key);
  };
}

/** Express/Connect-style middleware `(req, res, next)`. Throws at construction when no key is configured. */
export function requireInternal(opts?: InternalAuthOptions): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  const key = expectedKey(opts);
  return (req, res, next) => {
    const v = req.headers[HEADER];
    if (keysMatch(Array.isArray(v) ? v[0] : v, key)) next();
    else deny(res);
  };
}

/** Fetch-style guard (Hono, Next.js, Bun, Deno): returns a 401 Response to send, or undefined to go on. */
export function internalGuard(opts?: InternalAuthOptions): (request: Request) => Response | undefined {
  const key = expectedKey(opts);
  return (request) =>
    keysMatch(request.headers.get(HEADER), key)
      ? undefined
      : new Response(BODY, { status: 401, headers: { 'content-type': 'application/json', 'www-authenticate': 'X-Internal-API-Key' } });
}
