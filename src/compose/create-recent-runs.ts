import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { databasePoolOptions } from './database-pool-options';
import { InMemoryRecentRuns, type RecentRuns } from '../http/recent-runs';
import { LIMITS } from '../limits';

/** The recent runs and how to release them at shutdown. */
export interface RecentRunsStore {
  recentRuns: RecentRuns;
  close(): Promise<void>;
}

/**
 * Where the runs that take feedback are remembered: in PostgreSQL when `DATABASE_URL` is set (a
 * replica takes feedback on a run another one answered), in the process otherwise. The database
 * is reached only when a run is answered or feedback arrives.
 */
export async function createRecentRuns(
  { database }: AppConfig,
  logger: Logger,
): Promise<RecentRunsStore> {
  if (!database.url) return { recentRuns: new InMemoryRecentRuns(), close: async () => {} };
  // Loaded only when used: the in-memory default never loads the database driver.
  const { PostgresRecentRuns } = await import('../http/postgres-recent-runs');
  const recentRuns = new PostgresRecentRuns({
    ...databasePoolOptions(database.url, database, logger),
    size: LIMITS.databaseFeedbackPoolSize,
  });
  return { recentRuns, close: () => recentRuns.close() };
}
