import type { Pool } from 'pg';
import { LIMITS } from '../../../limits';
import { fitTurn } from '../fit-turn';
import { storableText, storableTurn } from '../storable-text';
import type {
  ConversationTurn,
  MemoryStore,
  SearchOptions,
  SessionScope,
  UserScope,
} from '../memory-store';
import { createPool } from '../../../database/pool';
import { migrateOnce } from '../../../database/migrate';
import { MEMORY_SCHEMA } from './schema';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (`DATABASE_URL`). */
  connectionString: string;
  /** Turns replayed per session, the latest ones. */
  maxTurnsPerSession?: number;
  /** Characters of tasks and responses replayed per session, the latest turns first. */
  maxCharsPerSession?: number;
  /** Turns kept per caller and user over all sessions; the oldest are deleted first. */
  maxTurnsPerUser?: number;
  poolSize?: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Told when an idle connection breaks (the database restarted): the pool replaces it. */
  onIdleConnectionError?: (error: Error) => void;
}

interface TurnRow {
  task: string;
  response: string;
  created_at: Date;
}

const toTurn = (row: TurnRow): ConversationTurn => ({
  task: row.task,
  response: row.response,
  at: row.created_at.toISOString(),
});

/**
 * Every query is one statement with `$n` parameters: the database client spans carry the
 * statement's text, never a user's value, and no transaction is left open when a connection
 * breaks.
 */
const SQL = {
  read: `SELECT task, response, created_at FROM (
           SELECT id, task, response, created_at, sum(chars) OVER (ORDER BY id DESC) AS replayed
           FROM memory_turns
           WHERE caller = $1 AND user_id = $2 AND session_id = $3
           ORDER BY id DESC LIMIT $4
         ) latest
         WHERE replayed <= $5 ORDER BY id`,
  // The insert and the retention trim are one statement; the trim does not see the new row.
  append: `WITH added AS (
             INSERT INTO memory_turns (caller, user_id, session_id, task, response, chars, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
           )
           DELETE FROM memory_turns WHERE id IN (
             SELECT id FROM memory_turns WHERE caller = $1 AND user_id = $2
             ORDER BY id DESC OFFSET $8
           )`,
  // Any word of the task may match (plainto_tsquery asks for all of them): its `&` become `|`.
  search: `SELECT task, response, created_at
           FROM memory_turns,
                CAST(replace(CAST(plainto_tsquery('english', $3) AS text), '&', '|') AS tsquery) query
           WHERE caller = $1 AND user_id = $2 AND ($4::text IS NULL OR session_id <> $4)
             AND search @@ query
           ORDER BY ts_rank(search, query) DESC, id DESC LIMIT $5`,
  erase: `DELETE FROM memory_turns
          WHERE caller = $1 AND user_id = $2 AND ($3::text IS NULL OR session_id = $3)`,
};

/**
 * Memory in PostgreSQL, shared by every replica and kept across restarts. The schema is migrated
 * before the first query; if the database is down then, the next operation tries again, so the
 * service starts (and answers, without memory) while the database is away.
 */
export class PostgresStore implements MemoryStore {
  readonly backend = 'postgresql';
  private readonly pool: Pool;
  private readonly maxTurnsPerSession: number;
  private readonly maxCharsPerSession: number;
  private readonly maxTurnsPerUser: number;
  /** Migrates the schema once; after a failure, the next call tries again. */
  readonly ready: () => Promise<void>;

  constructor({
    connectionString,
    maxTurnsPerSession = LIMITS.memoryMaxTurns,
    maxCharsPerSession = LIMITS.memoryMaxSessionChars,
    maxTurnsPerUser = LIMITS.memoryMaxTurnsPerUser,
    poolSize = LIMITS.databasePoolSize,
    statementTimeoutMs = LIMITS.databaseStatementTimeoutMs,
    connectTimeoutMs = LIMITS.databaseConnectTimeoutMs,
    onIdleConnectionError = () => {},
  }: PostgresStoreOptions) {
    this.maxTurnsPerSession = maxTurnsPerSession;
    this.maxCharsPerSession = maxCharsPerSession;
    this.maxTurnsPerUser = maxTurnsPerUser;
    this.pool = createPool({
      connectionString,
      size: poolSize,
      statementTimeoutMs,
      connectTimeoutMs,
      onIdleConnectionError,
    });
    this.ready = migrateOnce(this.pool, MEMORY_SCHEMA);
  }

  /** The schema is migrated and the database answers a query. */
  async ping(): Promise<void> {
    await this.ready();
    await this.pool.query('SELECT 1');
  }

  async read({ caller, userId, sessionId }: SessionScope): Promise<ConversationTurn[]> {
    await this.ready();
    const { rows } = await this.pool.query<TurnRow>(SQL.read, [
      caller,
      userId,
      sessionId,
      this.maxTurnsPerSession,
      this.maxCharsPerSession,
    ]);
    return rows.map(toTurn);
  }

  async append({ caller, userId, sessionId }: SessionScope, turn: ConversationTurn) {
    await this.ready();
    // A turn larger than a whole session is cut to fit, as in memory: it is still replayed. Text
    // PostgreSQL cannot hold (NUL) is replaced rather than failing the insert as an outage would.
    const kept = fitTurn(storableTurn(turn), this.maxCharsPerSession);
    await this.pool.query(SQL.append, [
      caller,
      userId,
      sessionId,
      kept.task,
      kept.response,
      kept.task.length + kept.response.length,
      kept.at,
      this.maxTurnsPerUser - 1,
    ]);
  }

  async search(
    { caller, userId }: UserScope,
    query: string,
    { excludeSessionId, limit }: SearchOptions,
  ): Promise<ConversationTurn[]> {
    await this.ready();
    const { rows } = await this.pool.query<TurnRow>(SQL.search, [
      caller,
      userId,
      storableText(query),
      excludeSessionId ?? null,
      limit,
    ]);
    return rows.map(toTurn);
  }

  async erase({ caller, userId }: UserScope, sessionId?: string): Promise<number> {
    await this.ready();
    const result = await this.pool.query(SQL.erase, [caller, userId, sessionId ?? null]);
    return result.rowCount ?? 0;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
