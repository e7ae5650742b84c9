/**
 * The router's error catalog: Heroku's codes, the status each answers with, and the short body the
 * client gets (JSON when it accepts JSON, else HTML). See docs/gateway.md for the table.
 */
import type { ServerResponse } from 'node:http';

export interface RouterError {
  code: string;
  status: number;
  desc: string;
}

export const H10: RouterError = { code: 'H10', status: 503, desc: 'App crashed' };
export const H12: RouterError = { code: 'H12', status: 504, desc: 'Request timeout' };
export const H13: RouterError = { code: 'H13', status: 502, desc: 'Connection closed without response' };
export const H14: RouterError = { code: 'H14', status: 503, desc: 'No web dynos running' };
export const H18: RouterError = { code: 'H18', status: 502, desc: 'Server Request Interrupted' };
export const H19: RouterError = { code: 'H19', status: 503, desc: 'Backend connection timeout' };
export const H20: RouterError = { code: 'H20', status: 503, desc: 'App boot timeout' };
export const H21: RouterError = { code: 'H21', status: 503, desc: 'Backend connection refused' };
export const H27: RouterError = { code: 'H27', status: 499, desc: 'Client Request Interrupted' };

/** Writes the error page for `err` unless headers were already sent. */
export function sendRouterError(res: ServerResponse, err: RouterError, accept: string | undefined, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const json = accept !== undefined && accept.includes('json');
  const body = json
    ? JSON.stringify({ message: err.desc, code: err.code, request_id: requestId })
    : `<!DOCTYPE html><html><head><title>${err.desc}</title></head><body><h1>${err.status} ${err.desc}</h1><p>Error ${err.code}. Request ID: ${requestId}</p></body></html>\n`;
  res.writeHead(err.status, {
    'content-type': json ? 'application/json' : 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** A JSON answer in Kong's style, `{"message": ...}`, for plugin exits and 404s. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? JSON.stringify({ message: body }) : body === undefined ? '' : JSON.stringify(body);
  const h: Record<string, string | number> = { ...headers, 'content-length': Buffer.byteLength(text) };
  if (text && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, h);
  res.end(text);
}
