/**
 * The generated database, user and password of an embedded server, kept in state.sections.postgres
 * (the state file is 0600). They are made once, on first start, and never appear in argv or logs.
 */
import { randomBytes } from 'node:crypto';
import type { StateStore } from '../../state/store.js';

export interface PgCredentials {
  user: string;
  password: string;
  database: string;
  /** ISO time the cluster was first initialized (set once initdb succeeded). */
  initializedAt?: string;
}

export type PostgresSection = Record<string, PgCredentials>;

/** The section of the state file owned by this add-on. */
export function postgresSection(state: StateStore): PostgresSection {
  return (state.read().sections.postgres as PostgresSection | undefined) ?? {};
}

/** Credentials of `addon`, generated and saved on first use. */
export function ensureCredentials(state: StateStore, addon: string): PgCredentials {
  const have = postgresSection(state)[addon];
  if (have) return have;
  // Heroku-style names: u<hex> and d<hex>; 32 random bytes of password (256 bits), URL-safe.
  const creds: PgCredentials = {
    user: `u${randomBytes(6).toString('hex')}`,
    database: `d${randomBytes(6).toString('hex')}`,
    password: randomBytes(32).toString('base64url'),
  };
  state.update((s) => {
    s.sections.postgres = { ...((s.sections.postgres as PostgresSection | undefined) ?? {}), [addon]: creds };
  });
  return creds;
}

/** Records that `addon`'s cluster is initialized. */
export function markInitialized(state: StateStore, addon: string): void {
  state.update((s) => {
    const sec = (s.sections.postgres as PostgresSection | undefined) ?? {};
    const c = sec[addon];
    if (c) c.initializedAt = new Date().toISOString();
    s.sections.postgres = sec;
  });
}
