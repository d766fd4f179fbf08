import type { Logger } from 'pino';
import { InMemoryStore } from '../agent/memory/in-memory-store';
import type { MemoryStore } from '../agent/memory/memory-store';
import type { AppConfig } from '../config';
import { databasePoolOptions } from './database-pool-options';

/**
 * PostgreSQL when `DATABASE_URL` is set, memory in the process otherwise (the quick start needs
 * nothing). A database that is down at start-up does not stop the service: it answers without
 * memory, and the schema is migrated as soon as the database is reachable.
 */
export async function createMemoryStore(config: AppConfig, logger: Logger): Promise<MemoryStore> {
  const { database, memory } = config;
  if (!database.url) return new InMemoryStore(memory);
  // Loaded only when used: the in-memory default never loads the database driver.
  const { PostgresStore } = await import('../agent/memory/postgres/postgres-store');
  const store = new PostgresStore({
    ...databasePoolOptions(database.url, database, logger),
    maxTurnsPerSession: memory.maxTurnsPerSession,
    poolSize: database.poolSize,
  });
  try {
    await store.ready();
  } catch (error) {
    logger.warn({ err: error }, 'The memory database is unreachable: runs go on without memory');
  }
  return store;
}
