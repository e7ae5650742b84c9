/**
 * The CLI's client of the gateway's admin API: its address comes from the control plane's status, the token
 * from `.spaceport/admin-token` (0600). Loopback HTTP with `Authorization: Bearer`.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Call } from './providers/clients.js';

export function adminClient(baseUrl: string, stateDir: string): Call {
  const token = readFileSync(join(stateDir, 'admin-token'), 'utf8').trim();
  const base = new URL(baseUrl);
  return <T>(method: string, path: string, body?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = { authorization: `Bearer ${token}` };
      if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
      const req = request({ host: base.hostname, port: base.port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          if ((res.statusCode ?? 500) >= 400) {
            const msg = (parsed as { message?: string } | undefined)?.message ?? text;
            reject(new Error(`gateway admin API ${method} ${path}: ${res.statusCode} ${msg}`));
          } else resolve(parsed as T);
        });
      });
      req.on('error', (e) => reject(new Error(`cannot reach the gateway admin API at ${baseUrl}: ${e.message}`)));
      req.end(data);
    });
}
