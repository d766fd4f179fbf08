import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { InMemoryRecentRuns } from './recent-runs';

const run = (n: number): SpanContext => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  traceFlags: TraceFlags.SAMPLED,
});

describe('InMemoryRecentRuns', () => {
  it("grants feedback on a run to the caller that made it, up to the run's allowance", async () => {
    const runs = new InMemoryRecentRuns({ feedbackPerRun: 2 });
    await runs.remember(run(1), 'key:a');

    expect(await runs.claimFeedback(run(1).traceId, 'key:a')).toEqual({
      granted: true,
      task: run(1),
      feedbackLeft: 1,
    });
    expect(await runs.claimFeedback(run(1).traceId, 'key:a')).toMatchObject({ feedbackLeft: 0 });
    expect(await runs.claimFeedback(run(1).traceId, 'key:a')).toEqual({
      granted: false,
      reason: 'limit_reached',
    });
  });

  it('treats a run of another caller as unknown', async () => {
    const runs = new InMemoryRecentRuns();
    await runs.remember(run(1), 'key:a');

    expect(await runs.claimFeedback(run(1).traceId, 'key:b')).toEqual({
      granted: false,
      reason: 'unknown_run',
    });
    expect(await runs.claimFeedback(run(1).traceId, undefined)).toMatchObject({ granted: false });
  });

  it('keeps the run of each caller whose run is in the same trace', async () => {
    const runs = new InMemoryRecentRuns();
    const theirs = { ...run(1), spanId: run(2).spanId };
    await runs.remember(run(1), 'key:a', 'ana');
    // Another caller that continued A's trace (it sent A's traceparent): before, its run replaced
    // A's, A's feedback got 404, and its own went into A's place.
    await runs.remember(theirs, 'key:b', 'bob');

    expect(await runs.claimFeedback(run(1).traceId, 'key:a')).toMatchObject({
      granted: true,
      task: run(1),
      userId: 'ana',
    });
    expect(await runs.claimFeedback(run(1).traceId, 'key:b')).toMatchObject({
      granted: true,
      task: theirs,
      userId: 'bob',
    });
  });

  it('forgets a run once its window has passed', async () => {
    let now = 0;
    const runs = new InMemoryRecentRuns({ windowMs: 1_000, now: () => now });
    const expiresAt = await runs.remember(run(1), undefined);
    expect(expiresAt).toBe(1_000);

    now = 999;
    expect(await runs.claimFeedback(run(1).traceId, undefined)).toMatchObject({ granted: true });
    now = 1_000;
    expect(await runs.claimFeedback(run(1).traceId, undefined)).toEqual({
      granted: false,
      reason: 'unknown_run',
    });
    await runs.remember(run(2), undefined);
    expect(runs.size).toBe(1);
  });

  it('keeps at most maxRuns, forgetting the oldest first', async () => {
    const runs = new InMemoryRecentRuns({ maxRuns: 3 });
    for (let n = 1; n <= 5; n++) await runs.remember(run(n), undefined);

    expect(runs.size).toBe(3);
    expect(await runs.claimFeedback(run(2).traceId, undefined)).toMatchObject({ granted: false });
    expect(await runs.claimFeedback(run(3).traceId, undefined)).toMatchObject({ granted: true });
  });
});
