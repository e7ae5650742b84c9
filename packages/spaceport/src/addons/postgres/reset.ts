/**
 * `pg:reset`: drops the add-on's database and creates it empty, as Heroku's pg:reset does. Only for the
 * embedded server (an external database is not ours to drop), and only with --confirm <addon name>.
 */
import { ident, withClient } from './client.js';
import type { EmbeddedPostgres } from './embedded.js';
import { postgresSection } from './credentials.js';
import type { StateStore } from '../../state/store.js';

export async function resetDatabase(svc: EmbeddedPostgres, state: StateStore): Promise<{ database: string }> {
  const creds = postgresSection(state)[svc.addon];
  if (!creds) throw new Error(`${svc.name} has no database yet`);
  await withClient(svc.adminUrl(), async (c) => {
    // Open sessions would block DROP DATABASE; WITH (FORCE) ends them (apps reconnect to the new database).
    await c.query(`DROP DATABASE IF EXISTS ${ident(creds.database)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${ident(creds.database)}`);
  });
  return { database: creds.database };
}
