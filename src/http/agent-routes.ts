import { trace } from '@opentelemetry/api';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Agent, AgentRunResult, RunObserver } from '../agent/agent';
import type { SubAgentClient } from '../agent/sub-agent-client';
import type { AgentTracer } from '../tracing/agent-tracer';
import { BAGGAGE_CORRELATION_ID, BAGGAGE_USER_ID, withBaggage } from '../tracing/baggage';
import { ATTR_USER_ID } from '../tracing/semconv';
import { callerScopeOf } from './caller-scope';
import { correlationIdOf } from './correlation-id';
import { errorBody, HttpError, methodNotAllowed, toHttpError } from './errors';
import { EventStream } from './event-stream';
import { LIMITS } from '../limits';
import { currentTraceId } from './trace-id';
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

function parseExecuteRequest(request: Request): ExecuteRequest {
  if (!request.is('application/json')) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  const parsed = executeRequestSchema.safeParse(request.body);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_request', describeValidationError(parsed.error));
  return parsed.data;
}

/**
 * Runs `work` with the request's correlation id and user id in the baggage, so that every call it
 * makes downstream carries them (and the span processor copies them onto every span).
 */
function withRequestBaggage<T>(
  body: ExecuteRequest,
  response: Response,
  work: () => Promise<T>,
): Promise<T> {
  if (body.user_id) trace.getActiveSpan()?.setAttribute(ATTR_USER_ID, body.user_id);
  return withBaggage(
    { [BAGGAGE_CORRELATION_ID]: correlationIdOf(response), [BAGGAGE_USER_ID]: body.user_id },
    work,
  );
}

/**
 * `POST` handler that runs the agent on the body's task: the agent's `/agent/execute` and the
 * sub-agent's `/execute`.
 */
function executeHandler(agent: Agent): RequestHandler {
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
    response.json(toExecuteResponse(result));
  };
}

/** The stream's events, as the README lists them, from the agent loop's observer. */
function streamObserver(events: EventStream): RunObserver {
  return {
    onStepStarted: (step) => events.send('step.started', { step }),
    onToolStarted: ({ callId, name }) => events.send('tool.started', { call_id: callId, name }),
    onToolFinished: ({ callId, name, ok, durationMs }) =>
      events.send('tool.finished', { call_id: callId, name, ok, duration_ms: durationMs }),
    onTextDelta: (text) => events.send('text.delta', { text }),
  };
}

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
  { heartbeatMs = LIMITS.streamHeartbeatMs, onServerError }: StreamOptions,
): RequestHandler {
  return async (request, response) => {
    const body = parseExecuteRequest(request);
    const memoryScope = callerScopeOf(request, response);
    const signal = signalForClient(response);
    const events = new EventStream(response, heartbeatMs);
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
      events.send('run.finished', toExecuteResponse(result));
    } catch (error) {
      const httpError = toHttpError(error);
      if (httpError.status >= 500 && !signal.aborted) onServerError?.(error);
      events.send('error', errorBody(httpError));
    } finally {
      events.end();
    }
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
  streamOptions: StreamOptions = {},
): Router {
  const router = Router();
  router.route('/api/v1/agent/execute').post(executeHandler(agent)).all(POST_ONLY);
  router.route('/api/v1/agent/stream').post(streamHandler(agent, streamOptions)).all(POST_ONLY);
  router.route('/api/v1/agent/delegate').post(delegateHandler(subAgent, tracer)).all(POST_ONLY);
  return router;
}

export function createSubAgentRouter(agent: Agent): Router {
  const router = Router();
  router.route('/api/v1/execute').post(executeHandler(agent)).all(POST_ONLY);
  return router;
}
