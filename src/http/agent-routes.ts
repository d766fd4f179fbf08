import { trace } from '@opentelemetry/api';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Agent, AgentRunResult, RunObserver } from '../agent/agent';
import { executeResponseSchema, type ExecuteResponse } from '../agent/execute-response';
import type { SubAgentClient } from '../agent/sub-agent-client';
import type { AgentTracer } from '../tracing/agent-tracer';
import { BAGGAGE_CORRELATION_ID, BAGGAGE_USER_ID, withBaggage } from '../tracing/baggage';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../tracing/semconv';
import { callerScopeOf, ON_BEHALF_OF } from './caller-scope';
import { correlationIdOf } from './correlation-id';
import { LIMITS } from '../limits';
import { FEEDBACK_PATH, feedbackRequestSchema, feedbackResponseSchema } from './feedback-request';
import { InMemoryRecentRuns, type RecentRuns } from './recent-runs';
import type { RunSlots } from './run-slots';
import {
  errorBody,
  HttpError,
  methodNotAllowed,
  toHttpError,
  MODEL_ERROR_STATUS,
  RUN_ERROR_STATUS,
  SUB_AGENT_ERROR_STATUS,
  type ErrorCode,
} from './errors';
import type { ApiOperation } from './openapi/api-operation';
import { EventStream } from './event-stream';
import { STREAM_EVENT_SCHEMAS, type StreamEvents } from './stream-events';
import { currentTraceId } from './trace-id';
import { shutdownSignal } from './graceful-shutdown';
import {
  describeValidationError,
  executeRequestSchema,
  type ExecuteRequest,
} from './execute-request';

function toExecuteResponse(result: AgentRunResult): ExecuteResponse {
  return {
    response: result.response,
    steps: result.steps,
    total_steps: result.totalSteps,
    stopped_reason: result.stoppedReason,
    trace_id: result.traceId,
    usage: {
      input_tokens: result.usage.inputTokens,
      output_tokens: result.usage.outputTokens,
      cost_usd: result.usage.costUsd,
    },
    ...(result.warnings.length ? { warnings: result.warnings } : {}),
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
      'unsupported_media_type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const parsed = schema.safeParse(request.body);
  if (!parsed.success)
    throw new HttpError('invalid_request', describeValidationError(parsed.error));
  return parsed.data;
}

/** Validates a run's body and admits the run; what the route then runs. */
type AdmitRun = (request: Request, response: Response) => ExecuteRequest;

/**
 * The one place a route that starts a run is admitted, right before the run: once its body has
 * arrived (the body reader came first) and is valid, a run slot is taken, so a client slow to send
 * its body, or one sending nonsense, holds none. Without slots, every valid run is admitted.
 */
const admitRunWith =
  (runSlots?: RunSlots): AdmitRun =>
  (request, response) => {
    const body = parseBody(request, executeRequestSchema);
    runSlots?.admit(response);
    return body;
  };

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
function executeHandler(
  agent: Agent,
  admitRun: AdmitRun,
  feedback?: FeedbackOptions,
): RequestHandler {
  return async (request, response) => {
    const body = admitRun(request, response);
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
    response.json(await answerOf(result, { ...feedback, memoryScope, userId: body.user_id }));
  };
}

/** Where the runs that take feedback are remembered, and who is told when that fails. */
interface FeedbackOptions {
  recentRuns: RecentRuns;
  /** The run was answered but not remembered (the database failed): its answer has no `feedback`. */
  onRecentRunsFailure?: (error: unknown) => void;
}

/**
 * The answer of a run, execute's body and the stream's `run.finished` alike: with where and until
 * when feedback on it is taken, once the run is remembered for it. A run that cannot be remembered
 * is still answered, without the link.
 */
async function answerOf(
  result: AgentRunResult,
  {
    recentRuns,
    onRecentRunsFailure,
    memoryScope,
    userId,
  }: Partial<FeedbackOptions> & { memoryScope?: string; userId?: string },
): Promise<ExecuteResponse> {
  const answer = toExecuteResponse(result);
  if (!recentRuns || !result.taskSpanContext) return answer;
  try {
    const expiresAt = await recentRuns.remember(result.taskSpanContext, memoryScope, userId);
    answer.feedback = { url: FEEDBACK_PATH, expires_at: new Date(expiresAt).toISOString() };
  } catch (error) {
    onRecentRunsFailure?.(error);
  }
  return answer;
}

const NO_SUCH_RUN =
  'No run with this trace_id was answered to you recently: feedback is taken from the caller that ' +
  'made the run, until the expires_at of its answer.';

/**
 * Feedback on an earlier run, recorded in that run's trace (`AgentTracer.recordFeedback`): only
 * for runs this process answered recently, only from the caller that made them, a few per run.
 */
function feedbackHandler(
  recentRuns: RecentRuns,
  tracer: AgentTracer,
  agentName: string,
): RequestHandler {
  return async (request, response) => {
    const body = parseBody(request, feedbackRequestSchema);
    const claim = await recentRuns
      .claimFeedback(body.trace_id, callerScopeOf(request, response))
      .catch(() => {
        throw new HttpError(
          'feedback_unavailable',
          'The store of recent runs is unavailable right now; nothing was recorded. Try again later.',
        );
      });
    if (!claim.granted && claim.reason === 'unknown_run')
      throw new HttpError('not_found', NO_SUCH_RUN);
    if (!claim.granted)
      throw new HttpError(
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
        agentName,
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

/** The stream's events, as the README lists them, from the agent loop's observer. */
function streamObserver(events: EventStream<StreamEvents>): RunObserver {
  return {
    onStepStarted: (step) => events.send('step.started', { step }),
    onToolStarted: ({ callId, name }) => events.send('tool.started', { call_id: callId, name }),
    onToolFinished: ({ callId, name, ok, durationMs }) =>
      events.send('tool.finished', { call_id: callId, name, ok, duration_ms: durationMs }),
    onTextDelta: (text) => events.send('text.delta', { text }),
  };
}

/** How many runs may be in flight at once (`MAX_CONCURRENT_RUNS`); without it, no limit. */
export interface RunOptions {
  runSlots?: RunSlots;
}

/**
 * The runs feedback is taken on (in the process by default, in PostgreSQL with `DATABASE_URL`),
 * how many runs may be in flight, and how streams behave.
 */
export interface AgentRouterOptions extends RunOptions, StreamOptions, Partial<FeedbackOptions> {}

export interface StreamOptions {
  /** How often a quiet stream gets a comment line (tests shorten it). */
  heartbeatMs?: number;
  /** Failures answered with status 500 or more, as the error handler logs them. */
  onServerError?: (error: unknown) => void;
}

/**
 * `POST /api/v1/agent/stream`: the same run as execute, told as server-sent events while it works.
 * Whatever fails before the stream starts (validation, and auth before it) is an ordinary JSON
 * error with its status; once it has started, a failure is an `error` event with the same body.
 */
function streamHandler(
  agent: Agent,
  admitRun: AdmitRun,
  feedback: FeedbackOptions,
  { heartbeatMs = LIMITS.streamHeartbeatMs, onServerError }: StreamOptions,
): RequestHandler {
  return async (request, response) => {
    const body = admitRun(request, response);
    const memoryScope = callerScopeOf(request, response);
    const signal = signalForClient(response);
    const events = new EventStream<StreamEvents>(response, heartbeatMs);
    events.send('run.started', {
      trace_id: currentTraceId(),
      correlation_id: correlationIdOf(response),
    });
    try {
      const result = await withRequestBaggage(body, response, () =>
        agent.run({
          task: body.task,
          userId: body.user_id,
          sessionId: body.session_id,
          memoryScope,
          maxSteps: body.max_steps,
          signal,
          observer: streamObserver(events),
        }),
      );
      events.send(
        'run.finished',
        await answerOf(result, { ...feedback, memoryScope, userId: body.user_id }),
      );
    } catch (error) {
      const httpError = toHttpError(error);
      if (httpError.status >= 500 && !signal.aborted) onServerError?.(error);
      events.send('error', errorBody(httpError));
    } finally {
      events.end();
    }
  };
}

const STREAM_PATH = '/api/v1/agent/stream';

/**
 * The workshop's delegation endpoint: the same request, answered by the sub-agent service, on
 * behalf of our caller, so that its session there is its own.
 */
function delegateHandler(
  subAgent: SubAgentClient,
  tracer: AgentTracer,
  admitRun: AdmitRun,
): RequestHandler {
  return async (request, response) => {
    const body = admitRun(request, response);
    const call = {
      signal: signalForClient(response),
      onBehalfOf: callerScopeOf(request, response),
    };
    const answer = await withRequestBaggage(body, response, () =>
      tracer.traceDelegation(
        { endpoint: subAgent.endpoint, agentName: subAgent.agentName, via: 'route' },
        () => subAgent.execute(body, call),
      ),
    );
    response.json(answer);
  };
}

/** What an execute body can be refused for, before the run starts. */
const BODY_ERRORS = [
  'invalid_json',
  'invalid_request',
  'request_aborted',
  'unsupported_media_type',
  'unsupported_encoding',
] as const satisfies readonly ErrorCode[];

const codesOf = <Code extends ErrorCode>(statuses: Record<Code, number>) =>
  Object.keys(statuses) as Code[];

/** What a run may fail with: execute answers it as JSON, the stream as its last event. */
const RUN_ERRORS = [...codesOf(MODEL_ERROR_STATUS), ...codesOf(RUN_ERROR_STATUS)];

const executeOperation = (path: string, operationId: string): ApiOperation => ({
  method: 'post',
  path,
  operationId,
  summary: 'Run the agent on a task',
  description:
    'The agent loop: the model asks for tools, the agent runs them, until the model answers or `max_steps` tool rounds are done. Unknown fields are rejected.',
  requestBody: executeRequestSchema,
  headers: [ON_BEHALF_OF],
  response: executeResponseSchema,
  errors: [...BODY_ERRORS, ...RUN_ERRORS],
});

const EXECUTE = executeOperation('/api/v1/agent/execute', 'executeAgent');
const DELEGATE: ApiOperation = {
  method: 'post',
  path: '/api/v1/agent/delegate',
  operationId: 'delegateToSubAgent',
  summary: 'Run the task on the sub-agent',
  description:
    "The same request, forwarded to the sub-agent on behalf of the caller; the answer is the sub-agent's, in the same trace.",
  requestBody: executeRequestSchema,
  headers: [ON_BEHALF_OF],
  response: executeResponseSchema,
  errors: [
    ...BODY_ERRORS,
    ...codesOf(SUB_AGENT_ERROR_STATUS),
    'request_cancelled',
    'shutdown_timeout',
  ],
};
const SUB_AGENT_EXECUTE = executeOperation('/api/v1/execute', 'execute');

const FEEDBACK: ApiOperation = {
  method: 'post',
  path: FEEDBACK_PATH,
  operationId: 'sendFeedback',
  summary: 'Score an earlier run',
  description:
    "Records the caller's feedback in the run's trace, as a gen_ai.evaluation.result event under its agent.task span. Only for runs answered to the same caller recently (see feedback.expires_at in the execute answer).",
  requestBody: feedbackRequestSchema,
  status: 201,
  response: feedbackResponseSchema,
  errors: [...BODY_ERRORS, 'not_found', 'feedback_limit_reached', 'feedback_unavailable'],
};

const STREAM: ApiOperation = {
  method: 'post',
  path: STREAM_PATH,
  operationId: 'streamAgent',
  summary: 'Run the agent on a task, told as server-sent events',
  description:
    "The same request and run as execute, answered as `text/event-stream` while the agent works: `run.started`, then `step.started`, `tool.started`, `tool.finished` and `text.delta` as they happen, and `run.finished` (execute's body) or `error` last. What fails before the stream starts (validation, authentication, overload) is an ordinary JSON error; a client that goes away cancels the run.",
  requestBody: executeRequestSchema,
  headers: [ON_BEHALF_OF],
  events: { schemas: STREAM_EVENT_SCHEMAS, errorCodes: [...RUN_ERRORS, 'internal_error'] },
  errors: [...BODY_ERRORS],
};

/** The agent service's routes, as the OpenAPI document describes them. */
export const AGENT_OPERATIONS: readonly ApiOperation[] = [EXECUTE, STREAM, DELEGATE, FEEDBACK];
/** The sub-agent service's routes, as the OpenAPI document describes them. */
export const SUB_AGENT_OPERATIONS: readonly ApiOperation[] = [SUB_AGENT_EXECUTE];

const POST_ONLY = methodNotAllowed(['POST']);

export function createAgentRouter(
  agent: Agent,
  subAgent: SubAgentClient,
  tracer: AgentTracer,
  {
    recentRuns = new InMemoryRecentRuns(),
    onRecentRunsFailure,
    runSlots,
    ...streamOptions
  }: AgentRouterOptions = {},
): Router {
  const router = Router();
  const feedback = { recentRuns, onRecentRunsFailure };
  const admitRun = admitRunWith(runSlots);
  router
    .route(EXECUTE.path)
    .post(executeHandler(agent, admitRun, feedback))
    .all(POST_ONLY);
  router
    .route(STREAM.path)
    .post(streamHandler(agent, admitRun, feedback, streamOptions))
    .all(POST_ONLY);
  router
    .route(FEEDBACK.path)
    .post(feedbackHandler(recentRuns, tracer, agent.name))
    .all(POST_ONLY);
  router
    .route(DELEGATE.path)
    .post(delegateHandler(subAgent, tracer, admitRun))
    .all(POST_ONLY);
  return router;
}

export function createSubAgentRouter(agent: Agent, { runSlots }: RunOptions = {}): Router {
  const router = Router();
  router
    .route(SUB_AGENT_EXECUTE.path)
    .post(executeHandler(agent, admitRunWith(runSlots)))
    .all(POST_ONLY);
  return router;
}
