import type { Pool } from 'pg';

/**
 * One schema's migrations, applied in order. A migration is never edited once released: a change
 * is a new one. `lock` is any constant no other schema (or application) in the database uses.
 */
export interface Schema {
  /** The table that records which versions are applied. */
  versionTable: string;
  lock: number;
  migrations: readonly string[];
}

/**
 * Brings a schema to its latest version. Replicas starting at once take turns on an advisory lock
 * held until the transaction ends, so each migration runs exactly once; running it again changes
 * nothing.
 */
async function migrate(pool: Pool, { versionTable, lock, migrations }: Schema) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${versionTable} (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${versionTable}`,
    );
    for (let version = (rows[0]?.version ?? 0) + 1; version <= migrations.length; version += 1) {
      await client.query(migrations[version - 1]!);
      await client.query(`INSERT INTO ${versionTable} (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    // The connection may be broken: it is destroyed rather than returned to the pool.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/**
 * Migrates once, before the first query that needs it; after a failure (the database is down) the
 * next call tries again, so a service starts while its database is away.
 */
export function migrateOnce(pool: Pool, schema: Schema): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= migrate(pool, schema).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
