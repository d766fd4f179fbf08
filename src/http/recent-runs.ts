import type { SpanContext } from '@opentelemetry/api';
import { LIMITS } from '../limits';

export interface RecentRunsOptions {
  maxRuns?: number;
  windowMs?: number;
  feedbackPerRun?: number;
  now?: () => number;
}

interface RecentRun {
  /** The run's `agent.task`: feedback spans are parented on it. */
  task: SpanContext;
  /** Who made the run (see `callerScopeOf`); `undefined` on an open service. */
  caller: string | undefined;
  /** The run's `user_id`, so that its feedback span carries it as the run's spans do. */
  userId: string | undefined;
  expiresAt: number;
  feedbackLeft: number;
}

export type FeedbackClaim =
  | { granted: true; task: SpanContext; userId: string | undefined; feedbackLeft: number }
  | { granted: false; reason: 'unknown_run' | 'limit_reached' };

/**
 * The runs answered recently, by trace id, so that feedback can be attached to them: bounded by
 * count (oldest forgotten first) and by age. A run is only ever found by the caller that made it;
 * to anyone else it does not exist, as an unknown or expired one. In memory, the process's own
 * runs; in PostgreSQL (`DATABASE_URL`), the runs of every replica.
 */
export interface RecentRuns {
  /** Remembers a run; answers until when it takes feedback (epoch milliseconds). */
  remember(task: SpanContext, caller: string | undefined, userId?: string): Promise<number>;
  /** Takes one of the run's feedback allowances, for its own caller only, atomically. */
  claimFeedback(traceId: string, caller: string | undefined): Promise<FeedbackClaim>;
}

/** The recent runs of this process, in its memory: lost on restart, unknown to other replicas. */
export class InMemoryRecentRuns implements RecentRuns {
  private readonly runs = new Map<string, RecentRun>();
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
    this.runs.delete(task.traceId);
    this.runs.set(task.traceId, {
      task,
      caller,
      userId,
      expiresAt,
      feedbackLeft: this.feedbackPerRun,
    });
    // A Map iterates in insertion order: the first key is the oldest run.
    while (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value!);
    return Promise.resolve(expiresAt);
  }

  claimFeedback(traceId: string, caller: string | undefined): Promise<FeedbackClaim> {
    return Promise.resolve(this.claim(traceId, caller));
  }

  private claim(traceId: string, caller: string | undefined): FeedbackClaim {
    const run = this.runs.get(traceId);
    if (!run || run.caller !== caller || run.expiresAt <= this.now())
      return { granted: false, reason: 'unknown_run' };
    if (run.feedbackLeft === 0) return { granted: false, reason: 'limit_reached' };
    run.feedbackLeft -= 1;
    return { granted: true, task: run.task, userId: run.userId, feedbackLeft: run.feedbackLeft };
  }

  /** Every run expires after the same window, so the expired ones are the oldest: at the front. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [traceId, run] of this.runs) {
      if (run.expiresAt > now) return;
      this.runs.delete(traceId);
    }
  }
}
