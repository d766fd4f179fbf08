import type { SpanContext } from '@opentelemetry/api';
import type { Pool } from 'pg';
import { migrateOnce, type Schema } from '../database/migrate';
import { createPool, type PoolOptions } from '../database/pool';
import { LIMITS } from '../limits';
import type { FeedbackClaim, RecentRuns } from './recent-runs';

export interface PostgresRecentRunsOptions extends PoolOptions {
  maxRuns?: number;
  windowMs?: number;
  feedbackPerRun?: number;
}

const RECENT_RUNS_SCHEMA: Schema = {
  versionTable: 'feedback_schema_migrations',
  lock: 7_303_130_015,
  migrations: [
    `CREATE TABLE feedback_runs (
       trace_id text PRIMARY KEY,
       seq bigserial NOT NULL,
       span_id text NOT NULL,
       trace_flags integer NOT NULL,
       caller text NOT NULL,
       user_id text,
       expires_at timestamptz NOT NULL,
       feedback_left integer NOT NULL
     );
     CREATE INDEX feedback_runs_by_seq ON feedback_runs (seq);
     CREATE INDEX feedback_runs_by_expiry ON feedback_runs (expires_at);`,
    // A run by its trace and its caller: another caller that continued the trace replaced the run.
    `ALTER TABLE feedback_runs DROP CONSTRAINT feedback_runs_pkey,
       ADD PRIMARY KEY (trace_id, caller);`,
  ],
};

/**
 * Times are the database's (`now()`), so that replicas whose clocks differ agree on when a run
 * expires. Remembering a run also forgets the expired ones and those more than `maxRuns` behind
 * it, in the same statement; a gap in `seq` (a run remembered twice) only forgets a little early.
 */
const SQL = {
  remember: `WITH added AS (
               INSERT INTO feedback_runs
                 (trace_id, span_id, trace_flags, caller, user_id, expires_at, feedback_left)
               VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond', $7)
               ON CONFLICT (trace_id, caller) DO UPDATE SET
                 seq = nextval(pg_get_serial_sequence('feedback_runs', 'seq')),
                 span_id = excluded.span_id, trace_flags = excluded.trace_flags,
                 user_id = excluded.user_id,
                 expires_at = excluded.expires_at, feedback_left = excluded.feedback_left
               RETURNING seq, expires_at
             ), forgotten AS (
               DELETE FROM feedback_runs
               WHERE (trace_id, caller) <> ($1, $4)
                 AND (expires_at <= now() OR seq <= (SELECT seq FROM added) - $8)
             )
             SELECT expires_at FROM added`,
  // One statement: two requests can never both take the last allowance.
  claim: `UPDATE feedback_runs SET feedback_left = feedback_left - 1
          WHERE trace_id = $1 AND caller = $2 AND expires_at > now() AND feedback_left > 0
          RETURNING span_id, trace_flags, user_id, feedback_left`,
  known: `SELECT 1 FROM feedback_runs WHERE trace_id = $1 AND caller = $2 AND expires_at > now()`,
};

interface ClaimRow {
  span_id: string;
  trace_flags: number;
  user_id: string | null;
  feedback_left: number;
}

/**
 * The recent runs of every replica, in PostgreSQL: replica B takes feedback on a run replica A
 * answered, and the per-run limit holds across them.
 */
export class PostgresRecentRuns implements RecentRuns {
  private readonly pool: Pool;
  private readonly ready: () => Promise<void>;
  private readonly maxRuns: number;
  private readonly windowMs: number;
  private readonly feedbackPerRun: number;

  constructor({
    maxRuns = LIMITS.feedbackMaxRuns,
    windowMs = LIMITS.feedbackWindowMs,
    feedbackPerRun = LIMITS.feedbackPerRun,
    ...pool
  }: PostgresRecentRunsOptions) {
    this.maxRuns = maxRuns;
    this.windowMs = windowMs;
    this.feedbackPerRun = feedbackPerRun;
    this.pool = createPool(pool);
    this.ready = migrateOnce(this.pool, RECENT_RUNS_SCHEMA);
  }

  async remember(task: SpanContext, caller: string | undefined, userId?: string) {
    await this.ready();
    const { rows } = await this.pool.query<{ expires_at: Date }>(SQL.remember, [
      task.traceId,
      task.spanId,
      task.traceFlags,
      caller ?? '',
      userId ?? null,
      this.windowMs,
      this.feedbackPerRun,
      this.maxRuns,
    ]);
    return rows[0]!.expires_at.getTime();
  }

  async claimFeedback(traceId: string, caller: string | undefined): Promise<FeedbackClaim> {
    await this.ready();
    const scope = [traceId, caller ?? ''];
    const { rows } = await this.pool.query<ClaimRow>(SQL.claim, scope);
    const run = rows[0];
    if (run) {
      const task = { traceId, spanId: run.span_id, traceFlags: run.trace_flags, isRemote: true };
      const userId = run.user_id ?? undefined;
      return { granted: true, task, userId, feedbackLeft: run.feedback_left };
    }
    const known = await this.pool.query(SQL.known, scope);
    return { granted: false, reason: known.rowCount ? 'limit_reached' : 'unknown_run' };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
