/**
 * Helpers for the lifecycle e2e suites: a well-behaved web fixture (graceful stop: in-flight requests
 * finish), plan --json parsing, the gateway's addresses and an admin API call, and an HTTP GET by Host.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { TestSpace } from './runtime-support.js';

/** Answers `<VERSION file> <GREETING>`; on SIGTERM stops accepting, lets in-flight requests finish, exits. */
export const WEB = `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const version = (() => { try { return readFileSync('version.txt', 'utf8').trim(); } catch { return 'none'; } })();
const s = createServer((req, res) => res.end(JSON.stringify({ version, greeting: process.env.GREETING ?? null, app: process.env.APP_NAME, db: process.env.DATABASE_URL ?? null })));
s.keepAliveTimeout = 2000;
s.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { s.close(() => process.exit(0)); s.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref(); });`;

export interface PlanJson {
  changes: { address: string; action: string; before: unknown; after: unknown; drift: boolean; from?: string }[];
  refusals?: string[];
}

export async function planJson(space: Pick<TestSpace, 'dir'> & { cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> }, extra: string[] = []): Promise<{ code: number; plan: PlanJson; stderr: string }> {
  const r = await space.cli(['plan', '--json', '--detailed-exitcode', ...extra]);
  let plan: PlanJson;
  try {
    plan = JSON.parse(r.stdout) as PlanJson;
  } catch {
    throw new Error(`plan --json printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, plan, stderr: r.stderr };
}

export async function gatewayOf(space: TestSpace): Promise<{ listen: number; admin: string; token: string }> {
  const r = await space.cli(['status', '--json']);
  const st = JSON.parse(r.stdout) as { services: { gateway: { listen: string; admin: string } } };
  return {
    listen: Number(new URL(st.services.gateway.listen).port),
    admin: st.services.gateway.admin,
    token: readFileSync(join(space.dir, '.spaceport', 'admin-token'), 'utf8').trim(),
  };
}

export async function admin<T = unknown>(gw: { admin: string; token: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(gw.admin + path, {
    method,
    headers: { authorization: `Bearer ${gw.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export function getByHost(port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}
