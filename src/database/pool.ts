import { Pool } from 'pg';

export interface PoolOptions {
  /** `postgres://user:password@host:port/database` (`DATABASE_URL`). */
  connectionString: string;
  /** Connections this pool opens at most. */
  size: number;
  statementTimeoutMs: number;
  /** Waiting for a connection, from the pool or a new one. */
  connectTimeoutMs: number;
  /** Told when an idle connection breaks (the database restarted): the pool replaces it. */
  onIdleConnectionError?: (error: Error) => void;
}

/**
 * A connection pool whose every wait is bounded: a database that stops answering fails an
 * operation within its timeouts, it never holds a request.
 */
export function createPool({
  connectionString,
  size,
  statementTimeoutMs,
  connectTimeoutMs,
  onIdleConnectionError = () => {},
}: PoolOptions): Pool {
  const pool = new Pool({
    connectionString,
    max: size,
    connectionTimeoutMillis: connectTimeoutMs,
    // Enforced by the server, and by the client too in case the server stops answering.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    application_name: 'traced-agent',
  });
  // Without a listener, an idle connection that breaks would crash the process.
  pool.on('error', onIdleConnectionError);
  return pool;
}
