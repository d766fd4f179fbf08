import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { RecentRuns } from './recent-runs';

const run = (n: number): SpanContext => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  traceFlags: TraceFlags.SAMPLED,
});

describe('RecentRuns', () => {
  it("grants feedback on a run to the caller that made it, up to the run's allowance", () => {
    const runs = new RecentRuns({ feedbackPerRun: 2 });
    runs.remember(run(1), 'key:a');

    expect(runs.claimFeedback(run(1).traceId, 'key:a')).toEqual({
      granted: true,
      task: run(1),
      feedbackLeft: 1,
    });
    expect(runs.claimFeedback(run(1).traceId, 'key:a')).toMatchObject({ feedbackLeft: 0 });
    expect(runs.claimFeedback(run(1).traceId, 'key:a')).toEqual({
      granted: false,
      reason: 'limit_reached',
    });
  });

  it('treats a run of another caller as unknown', () => {
    const runs = new RecentRuns();
    runs.remember(run(1), 'key:a');

    expect(runs.claimFeedback(run(1).traceId, 'key:b')).toEqual({
      granted: false,
      reason: 'unknown_run',
    });
    expect(runs.claimFeedback(run(1).traceId, undefined)).toMatchObject({ granted: false });
  });

  it('forgets a run once its window has passed', () => {
    let now = 0;
    const runs = new RecentRuns({ windowMs: 1_000, now: () => now });
    const expiresAt = runs.remember(run(1), undefined);
    expect(expiresAt).toBe(1_000);

    now = 999;
    expect(runs.claimFeedback(run(1).traceId, undefined)).toMatchObject({ granted: true });
    now = 1_000;
    expect(runs.claimFeedback(run(1).traceId, undefined)).toEqual({
      granted: false,
      reason: 'unknown_run',
    });
    runs.remember(run(2), undefined);
    expect(runs.size).toBe(1);
  });

  it('keeps at most maxRuns, forgetting the oldest first', () => {
    const runs = new RecentRuns({ maxRuns: 3 });
    for (let n = 1; n <= 5; n++) runs.remember(run(n), undefined);

    expect(runs.size).toBe(3);
    expect(runs.claimFeedback(run(2).traceId, undefined)).toMatchObject({ granted: false });
    expect(runs.claimFeedback(run(3).traceId, undefined)).toMatchObject({ granted: true });
  });
});
