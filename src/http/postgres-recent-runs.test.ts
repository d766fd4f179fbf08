import { randomBytes } from 'node:crypto';
import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { startPglite, type PgliteProcess } from '../../dev/database/pglite-process';
import { describeOnRealPostgres } from '../../test/support/real-postgres';
import { until } from '../../test/support/until';
import { PostgresRecentRuns, type PostgresRecentRunsOptions } from './postgres-recent-runs';

/**
 * The recent runs of every replica on one database: what two `PostgresRecentRuns` (two replicas)
 * see of each other's runs, and the per-run limit under concurrency. On PGlite everywhere, and on
 * a real server with TEST_POSTGRES_URL.
 */
const opened: PostgresRecentRuns[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((runs) => runs.close()));
});

// PGlite answers one query at a time for every connection, on a busy machine: waits are longer.
const replicaOf =
  (database: () => string) =>
  (options: Partial<PostgresRecentRunsOptions> = {}) => {
    const runs = new PostgresRecentRuns({
      connectionString: database(),
      size: 4,
      statementTimeoutMs: 20_000,
      connectTimeoutMs: 20_000,
      ...options,
    });
    opened.push(runs);
    return runs;
  };

const newRun = (): SpanContext => ({
  traceId: randomBytes(16).toString('hex'),
  spanId: randomBytes(8).toString('hex'),
  traceFlags: TraceFlags.SAMPLED,
});

function recentRunsSuite(database: () => string) {
  const replica = replicaOf(database);

  it('lets replica B take feedback on a run replica A answered, for its caller only', async () => {
    const [a, b] = [replica(), replica()];
    const run = newRun();
    const before = Date.now();
    const expiresAt = await a.remember(run, 'key:a', 'ana');

    expect(expiresAt).toBeGreaterThan(before);
    expect(await b.claimFeedback(run.traceId, 'key:a')).toEqual({
      granted: true,
      task: expect.objectContaining({ traceId: run.traceId, spanId: run.spanId, traceFlags: 1 }),
      userId: 'ana',
      feedbackLeft: 4,
    });
    for (const caller of ['key:b', undefined])
      expect(await b.claimFeedback(run.traceId, caller)).toEqual({
        granted: false,
        reason: 'unknown_run',
      });
  });

  it('keeps the run of each caller whose run is in the same trace, across replicas', async () => {
    const [a, b] = [replica(), replica()];
    const run = newRun();
    const theirs = { ...newRun(), traceId: run.traceId };
    await a.remember(run, 'key:a', 'ana');
    // Another caller that continued A's trace: before, its run replaced A's row.
    await b.remember(theirs, 'key:b', 'bob');

    expect(await b.claimFeedback(run.traceId, 'key:a')).toMatchObject({
      granted: true,
      task: expect.objectContaining({ spanId: run.spanId }),
      userId: 'ana',
    });
    expect(await a.claimFeedback(run.traceId, 'key:b')).toMatchObject({
      granted: true,
      task: expect.objectContaining({ spanId: theirs.spanId }),
      userId: 'bob',
    });
  });

  it('grants exactly the per-run allowance to concurrent claims from two replicas', async () => {
    const [a, b] = [replica({ feedbackPerRun: 5 }), replica({ feedbackPerRun: 5 })];
    const run = newRun();
    await a.remember(run, undefined);

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 ? a : b).claimFeedback(run.traceId, undefined),
      ),
    );

    expect(claims.filter((claim) => claim.granted)).toHaveLength(5);
    expect(claims.filter((claim) => !claim.granted)).toEqual(
      Array(15).fill({ granted: false, reason: 'limit_reached' }),
    );
  });

  it('forgets a run once its window has passed', async () => {
    const runs = replica({ windowMs: 200 });
    const run = newRun();
    const expiresAt = await runs.remember(run, undefined);

    // The database's clock decides; this machine's is the same one.
    await until(() => Date.now() > expiresAt + 50, 'the window to pass');
    expect(await runs.claimFeedback(run.traceId, undefined)).toEqual({
      granted: false,
      reason: 'unknown_run',
    });
  });

  it('keeps at most maxRuns, forgetting the oldest first', async () => {
    const runs = replica({ maxRuns: 3 });
    const remembered = [newRun(), newRun(), newRun(), newRun(), newRun()];
    for (const run of remembered) await runs.remember(run, 'key:count');

    const granted = [];
    for (const run of remembered)
      granted.push((await runs.claimFeedback(run.traceId, 'key:count')).granted);
    expect(granted).toEqual([false, false, true, true, true]);
  });
}

describe('PostgresRecentRuns on PGlite', () => {
  let database: PgliteProcess;
  beforeAll(async () => {
    database = await startPglite();
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  recentRunsSuite(() => database.url);

  it('fails, never hangs, when the database is unreachable, and works again once it is back', async () => {
    const runs = replicaOf(() => database.url)();
    const run = newRun();
    await database.stop();
    try {
      await expect(runs.remember(run, undefined)).rejects.toThrow();
      await expect(runs.claimFeedback(run.traceId, undefined)).rejects.toThrow();
    } finally {
      await database.start();
    }
    await runs.remember(run, undefined);
    expect(await runs.claimFeedback(run.traceId, undefined)).toMatchObject({ granted: true });
  });
});

describeOnRealPostgres('PostgresRecentRuns', recentRunsSuite);
