/**
 * The stats tables. Counts and the consumed offsets live in one database so that one transaction can move both:
 * that is what makes a redelivered or replayed message count once.
 */
import type pg from 'pg';

const DDL = `
CREATE TABLE IF NOT EXISTS edm_counts (
  product text        NOT NULL,
  type    text        NOT NULL,
  minute  timestamptz NOT NULL,
  count   bigint      NOT NULL,
  PRIMARY KEY (product, type, minute)
);
CREATE INDEX IF NOT EXISTS edm_counts_minute ON edm_counts (minute);
CREATE TABLE IF NOT EXISTS edm_offsets (
  topic       text   NOT NULL,
  part        int    NOT NULL,
  next_offset bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, part)
);`;

/** Creates the tables if missing; an advisory lock keeps two dynos booting at once from racing on the DDL. */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(7306011)');
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
