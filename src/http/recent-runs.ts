import type { SpanContext } from '@opentelemetry/api';
import { LIMITS } from '../limits';
import { OldestFirstMap } from '../oldest-first-map';

export interface RecentRunsOptions {
  maxRuns?: number;
  windowMs?: number;
  feedbackPerRun?: number;
  now?: () => number;
}

interface RecentRun {
  /**
   * The run's `agent.task`, which feedback spans are parented on (the request's server span when
   * the trace was not sampled: `withSpan` starts no child under it, and nothing of it is exported).
   */
  task: SpanContext;
  /** The run's `user_id`, so that its feedback span carries it as the run's spans do. */
  userId: string | undefined;
  expiresAt: number;
  feedbackLeft: number;
}

export type FeedbackClaim =
  | { granted: true; task: SpanContext; userId: string | undefined; feedbackLeft: number }
  | { granted: false; reason: 'unknown_run' | 'limit_reached' };

/**
 * The runs answered recently, by trace id and caller, so that feedback can be attached to them:
 * bounded by count (oldest forgotten first) and by age. A run is only ever found by the caller that
 * made it; to anyone else it does not exist, as an unknown or expired one. In memory, the process's
 * own runs; in PostgreSQL (`DATABASE_URL`), the runs of every replica.
 */
export interface RecentRuns {
  /** Remembers a run; answers until when it takes feedback (epoch milliseconds). */
  remember(task: SpanContext, caller: string | undefined, userId?: string): Promise<number>;
  /** Takes one of the run's feedback allowances, for its own caller only, atomically. */
  claimFeedback(traceId: string, caller: string | undefined): Promise<FeedbackClaim>;
}

/**
 * A run by its trace and its caller: any caller may continue any trace (`TRACE_CONTEXT_TRUST=all`),
 * and another caller's run in the same trace must not take this one's place. A trace id is 32
 * characters, so the two cannot run into each other.
 */
const keyOf = (traceId: string, caller: string | undefined) => `${traceId}${caller ?? ''}`;

/** The recent runs of this process, in its memory: lost on restart, unknown to other replicas. */
export class InMemoryRecentRuns implements RecentRuns {
  private readonly runs = new OldestFirstMap<string, RecentRun>();
  private readonly maxRuns: number;
  private readonly windowMs: number;
  private readonly feedbackPerRun: number;
  private readonly now: () => number;

  constructor({
    maxRuns = LIMITS.feedbackMaxRuns,
    windowMs = LIMITS.feedbackWindowMs,
    feedbackPerRun = LIMITS.feedbackPerRun,
    now = Date.now,
  }: RecentRunsOptions = {}) {
    this.maxRuns = maxRuns;
    this.windowMs = windowMs;
    this.feedbackPerRun = feedbackPerRun;
    this.now = now;
  }

  get size(): number {
    return this.runs.size;
  }

  remember(task: SpanContext, caller: string | undefined, userId?: string): Promise<number> {
    const expiresAt = this.now() + this.windowMs;
    this.forgetExpired();
    // Set again, a run becomes the newest.
    this.runs.set(keyOf(task.traceId, caller), {
      task,
      userId,
      expiresAt,
      feedbackLeft: this.feedbackPerRun,
    });
    this.runs.deleteOldestWhile(() => this.runs.size > this.maxRuns);
    return Promise.resolve(expiresAt);
  }

  claimFeedback(traceId: string, caller: string | undefined): Promise<FeedbackClaim> {
    return Promise.resolve(this.claim(traceId, caller));
  }

  private claim(traceId: string, caller: string | undefined): FeedbackClaim {
    const run = this.runs.get(keyOf(traceId, caller));
    if (!run || run.expiresAt <= this.now()) return { granted: false, reason: 'unknown_run' };
    if (run.feedbackLeft === 0) return { granted: false, reason: 'limit_reached' };
    run.feedbackLeft -= 1;
    return { granted: true, task: run.task, userId: run.userId, feedbackLeft: run.feedbackLeft };
  }

  /** Every run expires after the same window, so the expired ones are the oldest: at the front. */
  private forgetExpired(): void {
    // Every run has the same window: the oldest expires first.
    const now = this.now();
    this.runs.deleteOldestWhile((run) => run.expiresAt <= now);
  }
}
