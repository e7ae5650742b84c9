/** What `pg:info` shows, read from the server itself (as Heroku's pg:info does). */
import { withClient } from './client.js';
import { maskUrl } from './url.js';

export interface PgInfo {
  addon: string;
  embedded: boolean;
  /** `18.4`. */
  version: string;
  connections: number;
  maxConnections: number;
  /** Bytes used by the database. */
  sizeBytes: number;
  tables: number;
  database: string;
  /** The URL with the password masked. */
  url: string;
}

/** Queries `url` for version, connection count, size and table count. */
export async function readInfo(addon: string, url: string, embedded: boolean): Promise<PgInfo> {
  return withClient(url, async (c) => {
    const r = await c.query<{ version: string; connections: string; max: string; size: string; tables: string; db: string }>(
      `SELECT current_setting('server_version') AS version,
              (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend') AS connections,
              current_setting('max_connections') AS max,
              pg_database_size(current_database()) AS size,
              (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')) AS tables,
              current_database() AS db`,
    );
    const row = r.rows[0]!;
    return {
      addon,
      embedded,
      version: row.version.split(' ')[0]!,
      // This query's own connection is not the user's.
      connections: Math.max(0, Number(row.connections) - 1),
      maxConnections: Number(row.max),
      sizeBytes: Number(row.size),
      tables: Number(row.tables),
      database: row.db,
      url: maskUrl(url),
    };
  });
}

/** Heroku-style text: `=== DATABASE (db)` then aligned fields. */
export function formatInfo(i: PgInfo): string {
  const rows: [string, string][] = [
    ['Plan', i.embedded ? 'embedded' : 'external'],
    ['Status', 'Available'],
    ['Connections', `${i.connections}/${i.maxConnections}`],
    ['PG Version', i.version],
    ['Data Size', humanBytes(i.sizeBytes)],
    ['Tables', String(i.tables)],
    ['Database', i.database],
    ['URL', i.url],
  ];
  const w = Math.max(...rows.map(([k]) => k.length)) + 1;
  return [`=== ${i.addon}`, ...rows.map(([k, v]) => `${`${k}:`.padEnd(w)} ${v}`)].join('\n');
}

export function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
