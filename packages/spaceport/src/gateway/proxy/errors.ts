/**
 * The router's error catalog: Heroku's codes, the status each answers with, and the short body the
 * client gets (JSON when it accepts JSON, else HTML). See docs/gateway.md for the table.
 */
import type { ClientConn, ServerExchange } from '../server/client-conn.js';

export interface RouterError {
  code: string;
  status: number;
  desc: string;
}

export const H10: RouterError = { code: 'H10', status: 503, desc: 'App crashed' };
export const H11: RouterError = { code: 'H11', status: 503, desc: 'Backlog too deep' };
export const H12: RouterError = { code: 'H12', status: 504, desc: 'Request timeout' };
export const H13: RouterError = { code: 'H13', status: 502, desc: 'Connection closed without response' };
export const H14: RouterError = { code: 'H14', status: 503, desc: 'No web dynos running' };
export const H18: RouterError = { code: 'H18', status: 502, desc: 'Server Request Interrupted' };
export const H19: RouterError = { code: 'H19', status: 503, desc: 'Backend connection timeout' };
export const H20: RouterError = { code: 'H20', status: 503, desc: 'App boot timeout' };
export const H21: RouterError = { code: 'H21', status: 503, desc: 'Backend connection refused' };
export const H27: RouterError = { code: 'H27', status: 499, desc: 'Client Request Interrupted' };

/** The error page for `err`: JSON when the client accepts it, else HTML. */
export function routerErrorPage(err: RouterError, accept: string | undefined, requestId: string): { type: string; body: string } {
  const json = accept !== undefined && accept.includes('json');
  const body = json
    ? JSON.stringify({ message: err.desc, code: err.code, request_id: requestId })
    : `<!DOCTYPE html><html><head><title>${err.desc}</title></head><body><h1>${err.status} ${err.desc}</h1><p>Error ${err.code}. Request ID: ${requestId}</p></body></html>\n`;
  return { type: json ? 'application/json' : 'text/html; charset=utf-8', body };
}

/** Writes the error page for `err` unless the response has started. */
export function sendRouterError(client: ClientConn, ex: ServerExchange, err: RouterError, accept: string | undefined, requestId: string): void {
  const page = routerErrorPage(err, accept, requestId);
  client.respond(ex, err.status, `Content-Type: ${page.type}\r\nCache-Control: no-store\r\n`, page.body);
}

// Header values must not smuggle a line break into the response.
const clean = (v: string) => (v.indexOf('\n') < 0 && v.indexOf('\r') < 0 ? v : v.replace(/[\r\n]+/g, ' '));

/** Header lines ("Name: value\r\n" each) from a record, names and values cleaned of line breaks. */
export function headerLines(headers: Record<string, string> | undefined): string {
  let out = '';
  if (headers !== undefined) for (const k in headers) out += `${clean(k)}: ${clean(String(headers[k]))}\r\n`;
  return out;
}

/** A JSON answer in Kong's style, `{"message": ...}`, for plugin exits and 404s. */
export function jsonAnswer(body: unknown, headers?: Record<string, string>): { lines: string; text: string } {
  const text = typeof body === 'string' ? JSON.stringify({ message: body }) : body === undefined ? '' : JSON.stringify(body);
  let lines = headerLines(headers);
  if (text && !(headers !== undefined && Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))) lines += 'Content-Type: application/json; charset=utf-8\r\n';
  return { lines, text };
}

export function sendJson(client: ClientConn, ex: ServerExchange, status: number, body: unknown, headers?: Record<string, string>): void {
  const a = jsonAnswer(body, headers);
  client.respond(ex, status, a.lines, a.text);
}

/** A whole response as one string, for sockets outside the HTTP server (an upgrade that is refused). */
export function rawResponse(status: number, reasonText: string, lines: string, text: string): string {
  return `HTTP/1.1 ${status} ${reasonText}\r\n${lines}Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}
