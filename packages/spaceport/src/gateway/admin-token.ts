/** The admin API token: `.spaceport/admin-token`, 256 bits, created once with mode 0600. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function adminTokenFile(stateDir: string): string {
  return join(stateDir, 'admin-token');
}

/** Reads the token, creating it (0600) the first time. */
export function ensureAdminToken(stateDir: string): string {
  const file = adminTokenFile(stateDir);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const t = readFileSync(file, 'utf8').trim();
    if (t.length >= 32) return t;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
