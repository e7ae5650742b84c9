/** Connection URLs: building them, masking the password for display, and the env var of an attachment. */
import type { PgCredentials } from './credentials.js';

/** `postgres://user:password@127.0.0.1:port/db`. */
export function localUrl(c: PgCredentials, port: number): string {
  return `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${encodeURIComponent(c.database)}`;
}

/** The URL with its password replaced by `*****`; text that is not a URL is returned with nothing secret. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '*****';
    return u.toString();
  } catch {
    return '(not a valid URL)';
  }
}

/** `host:port` of a URL, for messages. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return '(not a valid URL)';
  }
}

/** A copy of `url` pointing at another database on the same server (the maintenance database `postgres`). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
