import type { Logger } from 'pino';
import type { AppConfig } from '../config';

/**
 * What every pool of ours (memory's, the recent runs') opens its connections with: the server of
 * `DATABASE_URL`, the configured timeouts, and a debug line when an idle connection breaks.
 */
export function databasePoolOptions(url: string, database: AppConfig['database'], logger: Logger) {
  return {
    connectionString: url,
    statementTimeoutMs: database.statementTimeoutMs,
    connectTimeoutMs: database.connectTimeoutMs,
    onIdleConnectionError: (error: Error) =>
      logger.debug({ err: error }, 'A database connection broke; the pool replaces it'),
  };
}
