/** The Postgres add-on's interface to the rest of Spaceport. */
export { postgresServices, type PostgresService } from './service.js';
export { destroyPostgresData } from './destroy.js';
export { maskUrl } from './url.js';
export type { PgInfo } from './info.js';
export type { BackupInfo } from './backups.js';
