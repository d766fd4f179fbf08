import { trace } from '@opentelemetry/api';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Agent, AgentRunResult } from '../agent/agent';
import type { SubAgentClient } from '../agent/sub-agent-client';
import type { AgentTracer } from '../tracing/agent-tracer';
import { BAGGAGE_CORRELATION_ID, BAGGAGE_USER_ID, withBaggage } from '../tracing/baggage';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../tracing/semconv';
import { callerScopeOf } from './caller-scope';
import { FEEDBACK_PATH, feedbackRequestSchema } from './feedback-request';
import { RecentRuns } from './recent-runs';
import { correlationIdOf } from './correlation-id';
import { LIMITS } from '../limits';
import { HttpError, methodNotAllowed } from './errors';
import { shutdownSignal } from './graceful-shutdown';
import {
  describeValidationError,
  executeRequestSchema,
  type ExecuteRequest,
} from './execute-request';

export interface ExecuteResponse {
  response: string;
  steps: AgentRunResult['steps'];
  total_steps: number;
  stopped_reason: AgentRunResult['stoppedReason'];
  trace_id: string | null;
  usage: { input_tokens: number; output_tokens: number };
  /**
   * Where and until when the caller may send feedback on this run, with its `trace_id`; absent
   * where feedback is not taken (the sub-agent, tracing off).
   */
  feedback?: { url: string; expires_at: string };
}

function toExecuteResponse(result: AgentRunResult): ExecuteResponse {
  return {
    response: result.response,
    steps: result.steps,
    total_steps: result.totalSteps,
    stopped_reason: result.stoppedReason,
    trace_id: result.traceId,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
  };
}

/**
 * Aborted when the client disconnects before the answer is sent, so no work goes on for nobody,
 * and when graceful shutdown cuts the request (with the reason, so the run answers 503).
 */
function signalForClient(response: Response): AbortSignal {
  const controller = new AbortController();
  const onShutdown = () => controller.abort(shutdownSignal.reason);
  if (shutdownSignal.aborted) onShutdown();
  else shutdownSignal.addEventListener('abort', onShutdown, { once: true });
  response.on('close', () => {
    shutdownSignal.removeEventListener('abort', onShutdown);
    if (!response.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

function parseBody<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  if (!request.is('application/json')) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const parsed = schema.safeParse(request.body);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_request', describeValidationError(parsed.error));
  return parsed.data;
}

const parseExecuteRequest = (request: Request): ExecuteRequest =>
  parseBody(request, executeRequestSchema);

/**
 * Runs `work` with the request's correlation id and user id in the baggage, so that every call it
 * makes downstream carries them (and the span processor copies them onto every span). The trace's
 * root, the server span, carries the user and the session under the general names, which is where
 * LLM platforms (Langfuse's Users and Sessions views) look for them.
 */
function withRequestBaggage<T>(
  body: ExecuteRequest,
  response: Response,
  work: () => Promise<T>,
): Promise<T> {
  const serverSpan = trace.getActiveSpan();
  if (body.user_id) serverSpan?.setAttribute(ATTR_USER_ID, body.user_id);
  if (body.session_id) serverSpan?.setAttribute(ATTR_SESSION_ID, body.session_id);
  return withBaggage(
    { [BAGGAGE_CORRELATION_ID]: correlationIdOf(response), [BAGGAGE_USER_ID]: body.user_id },
    work,
  );
}

/**
 * `POST` handler that runs the agent on the body's task: the agent's `/agent/execute` and the
 * sub-agent's `/execute`.
 */
function executeHandler(agent: Agent, recentRuns?: RecentRuns): RequestHandler {
  return async (request, response) => {
    const body = parseExecuteRequest(request);
    const memoryScope = callerScopeOf(request, response);
    const result = await withRequestBaggage(body, response, () =>
      agent.run({
        task: body.task,
        userId: body.user_id,
        sessionId: body.session_id,
        memoryScope,
        maxSteps: body.max_steps,
        signal: signalForClient(response),
      }),
    );
    const answer = toExecuteResponse(result);
    if (recentRuns && result.taskSpanContext) {
      const expiresAt = recentRuns.remember(result.taskSpanContext, memoryScope, body.user_id);
      answer.feedback = { url: FEEDBACK_PATH, expires_at: new Date(expiresAt).toISOString() };
    }
    response.json(answer);
  };
}

const NO_SUCH_RUN =
  'No run with this trace_id was answered to you recently: feedback is taken from the caller that ' +
  'made the run, until the expires_at of its answer.';

/**
 * Feedback on an earlier run, recorded in that run's trace (`AgentTracer.recordFeedback`): only
 * for runs this process answered recently, only from the caller that made them, a few per run.
 */
function feedbackHandler(recentRuns: RecentRuns, tracer: AgentTracer): RequestHandler {
  return (request, response) => {
    const body = parseBody(request, feedbackRequestSchema);
    const claim = recentRuns.claimFeedback(body.trace_id, callerScopeOf(request, response));
    if (!claim.granted && claim.reason === 'unknown_run')
      throw new HttpError(404, 'not_found', NO_SUCH_RUN);
    if (!claim.granted)
      throw new HttpError(
        409,
        'feedback_limit_reached',
        `This run already has the most feedback it takes (${LIMITS.feedbackPerRun}).`,
      );
    // Like every span, the feedback span carries the correlation id (this request's) and the user.
    const baggage = {
      [BAGGAGE_CORRELATION_ID]: correlationIdOf(response),
      [BAGGAGE_USER_ID]: claim.userId,
    };
    withBaggage(baggage, () =>
      tracer.recordFeedback(claim.task, {
        name: body.name,
        score: body.score,
        label: body.label,
        comment: body.comment,
      }),
    );
    response.status(201).json({
      trace_id: body.trace_id,
      name: body.name,
      feedback_left: claim.feedbackLeft,
    });
  };
}

/**
 * The workshop's delegation endpoint: the same request, answered by the sub-agent service, on
 * behalf of our caller, so that its session there is its own.
 */
function delegateHandler(subAgent: SubAgentClient, tracer: AgentTracer): RequestHandler {
  return async (request, response) => {
    const body = parseExecuteRequest(request);
    const call = {
      signal: signalForClient(response),
      onBehalfOf: callerScopeOf(request, response),
    };
    const answer = await withRequestBaggage(body, response, () =>
      tracer.traceDelegation({ endpoint: subAgent.endpoint }, () => subAgent.execute(body, call)),
    );
    response.json(answer);
  };
}

const POST_ONLY = methodNotAllowed(['POST']);

export function createAgentRouter(
  agent: Agent,
  subAgent: SubAgentClient,
  tracer: AgentTracer,
  recentRuns = new RecentRuns(),
): Router {
  const router = Router();
  router.route('/api/v1/agent/execute').post(executeHandler(agent, recentRuns)).all(POST_ONLY);
  router.route(FEEDBACK_PATH).post(feedbackHandler(recentRuns, tracer)).all(POST_ONLY);
  router.route('/api/v1/agent/delegate').post(delegateHandler(subAgent, tracer)).all(POST_ONLY);
  return router;
}

export function createSubAgentRouter(agent: Agent): Router {
  const router = Router();
  router.route('/api/v1/execute').post(executeHandler(agent)).all(POST_ONLY);
  return router;
}
