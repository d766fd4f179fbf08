import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createTestAgent } from '../../test/support/agent-fixture';
import {
  idOf,
  installInMemoryTracing,
  parentOf,
  serverSpanMiddleware,
} from '../../test/support/in-memory-tracing';
import { SubAgentClient } from '../agent/sub-agent-client';
import { createApp } from '../app';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { LIMITS } from '../limits';
import { AgentTracer } from '../tracing/agent-tracer';
import { createAgentRouter } from '../../test/support/agent-routers';
import { InMemoryRecentRuns, type RecentRuns } from './recent-runs';
import type { Admission } from './admission/admission';
import { holdEveryRun, testAdmission } from '../../test/support/admission';

const tracing = installInMemoryTracing();
const EXECUTE = '/api/v1/agent/execute';
const FEEDBACK = '/api/v1/agent/feedback';
let emulator: GeminiEmulator;

beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await emulator.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

interface AppOptions {
  captureContent?: boolean;
  recentRuns?: RecentRuns;
  admission?: Admission;
}

function createFeedbackApp({ captureContent = false, recentRuns, admission }: AppOptions = {}) {
  const app = createApp({
    logger: pino({ level: 'silent' }),
    apiKeys: ['key-one', 'key-two'],
    routers: [
      createAgentRouter(
        createTestAgent({ emulator }),
        new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }),
        new AgentTracer({ captureContent }),
        { recentRuns, admission },
      ),
    ],
  });
  return express().use(serverSpanMiddleware, app);
}

async function runAs(app: express.Express, key: string) {
  const response = await request(app)
    .post(EXECUTE)
    .set('Authorization', `Bearer ${key}`)
    .send({ task: 'Calculate 2 + 2' })
    .expect(200);
  return response.body as { trace_id: string; feedback: { url: string; expires_at: string } };
}

const sendFeedback = (app: express.Express, key: string, body: object) =>
  request(app).post(FEEDBACK).set('Authorization', `Bearer ${key}`).send(body);

const expectJsonError = (response: request.Response, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
};

describe('POST /api/v1/agent/feedback', () => {
  it('says in the execute answer where and until when feedback is taken', async () => {
    const before = Date.now();
    const answer = await runAs(createFeedbackApp(), 'key-one');

    expect(answer.feedback.url).toBe(FEEDBACK);
    const expiresAt = Date.parse(answer.feedback.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + LIMITS.feedbackWindowMs);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + LIMITS.feedbackWindowMs);
  });

  it("records the feedback in the run's trace, under its agent.task, as a gen_ai.evaluation.result event", async () => {
    const app = createFeedbackApp();
    const { trace_id: traceId } = await runAs(app, 'key-one');

    const response = await sendFeedback(app, 'key-one', {
      trace_id: traceId,
      score: 0.8,
      label: 'helpful',
      comment: 'Right answer, thanks',
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      trace_id: traceId,
      name: 'user_feedback',
      feedback_left: LIMITS.feedbackPerRun - 1,
    });
    const task = tracing.one('agent.task');
    const feedback = tracing.one('agent.feedback');
    expect(feedback.spanContext().traceId).toBe(traceId);
    expect(parentOf(feedback)).toBe(idOf(task));
    // Linked to the feedback request's own span, in a trace of its own.
    const [link] = feedback.links;
    expect(link?.context.traceId).not.toBe(traceId);
    expect(feedback.events).toEqual([
      expect.objectContaining({
        name: 'gen_ai.evaluation.result',
        attributes: {
          'gen_ai.evaluation.name': 'user_feedback',
          'gen_ai.evaluation.score.value': 0.8,
          'gen_ai.evaluation.score.label': 'helpful',
        },
      }),
    ]);
  });

  it('records the comment as the explanation only with content capture, secrets redacted', async () => {
    const app = createFeedbackApp({ captureContent: true });
    const { trace_id: traceId } = await runAs(app, 'key-one');

    await sendFeedback(app, 'key-one', {
      trace_id: traceId,
      name: 'correctness',
      score: 1,
      comment: 'Good.\u0007 My key is Bearer abcdefghijklmnopqrstuvwxyz012345',
    }).expect(201);

    const [event] = tracing.one('agent.feedback').events;
    expect(event?.attributes).toMatchObject({ 'gen_ai.evaluation.name': 'correctness' });
    const explanation = String(event?.attributes?.['gen_ai.evaluation.explanation']);
    expect(explanation).toMatch(/^Good\. My key is /);
    expect(explanation).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('records a comment of only whitespace and invisible format characters as no comment', async () => {
    const app = createFeedbackApp({ captureContent: true });
    const { trace_id: traceId } = await runAs(app, 'key-one');

    await sendFeedback(app, 'key-one', {
      trace_id: traceId,
      score: 1,
      comment: ' \u200b\ufeff\u2060\u00ad\u00a0\u0007 ',
    }).expect(201);

    const [event] = tracing.one('agent.feedback').events;
    expect(event?.attributes).not.toHaveProperty(['gen_ai.evaluation.explanation']);
  });

  it('answers 404, as for an unknown trace id, to another API key', async () => {
    const app = createFeedbackApp();
    const { trace_id: traceId } = await runAs(app, 'key-one');

    expectJsonError(
      await sendFeedback(app, 'key-two', { trace_id: traceId, score: 1 }),
      404,
      'not_found',
    );
    expectJsonError(
      await sendFeedback(app, 'key-one', { trace_id: 'f'.repeat(32), score: 1 }),
      404,
      'not_found',
    );
    expect(tracing.byName('agent.feedback')).toEqual([]);
  });

  it('answers 404 once the run is older than the feedback window', async () => {
    let now = Date.now();
    const app = createFeedbackApp({ recentRuns: new InMemoryRecentRuns({ now: () => now }) });
    const { trace_id: traceId } = await runAs(app, 'key-one');

    now += LIMITS.feedbackWindowMs;

    expectJsonError(
      await sendFeedback(app, 'key-one', { trace_id: traceId, score: 1 }),
      404,
      'not_found',
    );
  });

  it('takes at most the documented number of feedbacks per run, then answers 409', async () => {
    const app = createFeedbackApp();
    const { trace_id: traceId } = await runAs(app, 'key-one');

    for (let n = 0; n < LIMITS.feedbackPerRun; n++)
      await sendFeedback(app, 'key-one', { trace_id: traceId, label: 'ok' }).expect(201);

    expectJsonError(
      await sendFeedback(app, 'key-one', { trace_id: traceId, label: 'ok' }),
      409,
      'feedback_limit_reached',
    );
    expect(tracing.byName('agent.feedback')).toHaveLength(LIMITS.feedbackPerRun);
  });

  it.each([
    ['no score and no label', { trace_id: 'a'.repeat(32) }, 'score'],
    ['a trace id that is not 32 hex digits', { trace_id: 'ABC', score: 1 }, 'trace_id'],
    ['a score that is a string', { trace_id: 'a'.repeat(32), score: '5' }, 'score'],
    [
      'a negative score, which the score histogram would drop',
      { trace_id: 'a'.repeat(32), score: -1 },
      'score: must be 0 or more (a thumbs-down is 0)',
    ],
    [
      'a score over 100, whose sum could overflow',
      { trace_id: 'a'.repeat(32), score: 1e308 },
      'score',
    ],
    ['a name with spaces', { trace_id: 'a'.repeat(32), score: 1, name: 'a b' }, 'name'],
    ['a label of markup', { trace_id: 'a'.repeat(32), label: '<b>' }, 'label'],
    [
      'a name of zero-width spaces, as empty',
      { trace_id: 'a'.repeat(32), score: 1, name: '\u200b' },
      'name: must not be empty',
    ],
    [
      'a label of format characters, as empty',
      { trace_id: 'a'.repeat(32), label: '\u2060 \u00ad' },
      'label: must not be empty',
    ],
    [
      'an over-long comment',
      {
        trace_id: 'a'.repeat(32),
        score: 1,
        comment: 'x'.repeat(LIMITS.feedbackMaxCommentLength + 1),
      },
      'comment',
    ],
    ['an unknown field', { trace_id: 'a'.repeat(32), score: 1, stars: 5 }, 'stars'],
  ])('answers 400 invalid_request for %s, naming the field', async (_case, body, field) => {
    const response = await sendFeedback(createFeedbackApp(), 'key-one', body);

    expectJsonError(response, 400, 'invalid_request');
    expect(response.body.error.message).toContain(field);
  });

  it('is answered while every run slot is taken: feedback starts no run', async () => {
    const admission = testAdmission(1);
    const app = createFeedbackApp({ admission });
    const { trace_id: traceId } = await runAs(app, 'key-one');
    const release = holdEveryRun(admission);

    try {
      await sendFeedback(app, 'key-one', { trace_id: traceId, score: 1 }).expect(201);
      // While a run would be refused.
      await request(app)
        .post(EXECUTE)
        .set('Authorization', 'Bearer key-one')
        .send({ task: 'Calculate 2 + 2' })
        .expect(503);
    } finally {
      release();
    }
  });

  describe('when the store of recent runs fails (its database is down)', () => {
    const failing: RecentRuns = {
      remember: () => Promise.reject(new Error('connect ECONNREFUSED')),
      claimFeedback: () => Promise.reject(new Error('connect ECONNREFUSED')),
    };

    it('still answers the run, without a feedback link, and says why once', async () => {
      const failures: unknown[] = [];
      const app = express().use(
        serverSpanMiddleware,
        createApp({
          logger: pino({ level: 'silent' }),
          routers: [
            createAgentRouter(
              createTestAgent({ emulator }),
              new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }),
              new AgentTracer({}),
              { recentRuns: failing, onRecentRunsFailure: (error) => failures.push(error) },
            ),
          ],
        }),
      );

      const answer = await request(app).post(EXECUTE).send({ task: 'Calculate 2 + 2' }).expect(200);

      expect(answer.body.response).toEqual(expect.any(String));
      expect(answer.body.feedback).toBeUndefined();
      expect(failures).toHaveLength(1);
    });

    it('answers feedback 503 feedback_unavailable as JSON, and records nothing', async () => {
      const app = createFeedbackApp({ recentRuns: failing });

      expectJsonError(
        await sendFeedback(app, 'key-one', { trace_id: 'a'.repeat(32), score: 1 }),
        503,
        'feedback_unavailable',
      );
      expect(tracing.byName('agent.feedback')).toEqual([]);
    });
  });

  it('answers 405 to another method, and 401 without a key', async () => {
    const app = createFeedbackApp();
    expectJsonError(
      await request(app).get(FEEDBACK).set('Authorization', 'Bearer key-one'),
      405,
      'method_not_allowed',
    );
    expectJsonError(
      await request(app)
        .post(FEEDBACK)
        .send({ trace_id: 'a'.repeat(32), score: 1 }),
      401,
      'unauthorized',
    );
  });
});
