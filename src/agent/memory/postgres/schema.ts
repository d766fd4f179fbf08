import type { Pool } from 'pg';

/**
 * The memory schema, one migration per version, applied in order at start-up. A migration is
 * never edited once released: a change is a new one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE memory_turns (
     id bigserial PRIMARY KEY,
     caller text NOT NULL,
     user_id text NOT NULL,
     session_id text NOT NULL,
     task text NOT NULL,
     response text NOT NULL,
     chars integer NOT NULL,
     created_at timestamptz NOT NULL,
     search tsvector GENERATED ALWAYS AS (to_tsvector('english', task || ' ' || response)) STORED
   );
   CREATE INDEX memory_turns_by_session ON memory_turns (caller, user_id, session_id, id DESC);
   CREATE INDEX memory_turns_by_user ON memory_turns (caller, user_id, id DESC);
   CREATE INDEX memory_turns_search ON memory_turns USING GIN (search);`,
];

/** Any constant will do, as long as nothing else in the database takes the same lock. */
const MIGRATION_LOCK = 7_303_130_013;

/**
 * Brings the schema to the latest version. Replicas starting at once take turns on an advisory
 * lock held until the transaction ends, so each migration runs exactly once; running it again
 * changes nothing.
 */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS memory_schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM memory_schema_migrations',
    );
    for (let version = (rows[0]?.version ?? 0) + 1; version <= MIGRATIONS.length; version += 1) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO memory_schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    // The connection may be broken: it is destroyed rather than returned to the pool.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
