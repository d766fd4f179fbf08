import type { RunObserver } from '../../agent/agent';
import { LIMITS } from '../../limits';
import { ON_BEHALF_OF } from '../caller-scope';
import { correlationIdOf } from '../correlation-id';
import { errorBody, toHttpError } from '../errors';
import { EventStream } from '../event-stream';
import { executeRequestSchema } from '../execute-request';
import { userInBody } from '../request-context';
import { STREAM_EVENT_SCHEMAS, type StreamEvents } from '../stream-events';
import { currentTraceId } from '../trace-id';
import { BODY_ERRORS } from './request-body';
import type { Route } from './route';
import { answerOf, runFromRequest, RUN_ERRORS, type RunNeeds } from './run-from-request';

export interface StreamNeeds extends RunNeeds {
  /** How often a quiet stream gets a comment line (tests shorten it). */
  heartbeatMs?: number;
  /** Failures answered with status 500 or more, as the error handler logs them. */
  onServerError?: (error: unknown) => void;
}

/** The stream's events, as docs/api.md lists them, from the agent loop's observer. */
function streamObserver(events: EventStream<StreamEvents>): RunObserver {
  return {
    onStepStarted: (step) => events.send('step.started', { step }),
    onToolStarted: ({ callId, name }) => events.send('tool.started', { call_id: callId, name }),
    onToolFinished: ({ callId, name, ok, durationMs }) =>
      events.send('tool.finished', { call_id: callId, name, ok, duration_ms: durationMs }),
    onTextDelta: (text) => events.send('text.delta', { text }),
  };
}

/**
 * `POST /api/v1/agent/stream`: the same run as execute, told as server-sent events while it works.
 * Whatever fails before the stream starts (validation, and auth before it) is an ordinary JSON
 * error with its status; once it has started, a failure is an `error` event with the same body.
 */
export const stream: Route<StreamNeeds> = {
  operation: {
    method: 'post',
    path: '/api/v1/agent/stream',
    operationId: 'streamAgent',
    summary: 'Run the agent on a task, told as server-sent events',
    description:
      "The same request and run as execute, answered as `text/event-stream` while the agent works: `run.started`, then `step.started`, `tool.started`, `tool.finished` and `text.delta` as they happen, and `run.finished` (execute's body) or `error` last. What fails before the stream starts (validation, authentication, overload) is an ordinary JSON error; a client that goes away cancels the run.",
    requestBody: executeRequestSchema,
    headers: [ON_BEHALF_OF],
    events: { schemas: STREAM_EVENT_SCHEMAS, errorCodes: [...RUN_ERRORS, 'internal_error'] },
    errors: [...BODY_ERRORS],
  },
  userOf: userInBody,
  handler:
    ({
      agent,
      admission,
      recentRuns,
      onRecentRunsFailure,
      heartbeatMs = LIMITS.streamHeartbeatMs,
      onServerError,
    }) =>
    async (request, response) => {
      const run = runFromRequest(request, response, admission);
      const events = new EventStream<StreamEvents>(response, heartbeatMs);
      events.send('run.started', {
        trace_id: currentTraceId(),
        correlation_id: correlationIdOf(response),
      });
      try {
        const result = await agent.run({ ...run.input, observer: streamObserver(events) });
        const answer = await answerOf(result, run.input, { recentRuns, onRecentRunsFailure });
        events.send('run.finished', answer);
      } catch (error) {
        const httpError = toHttpError(error);
        if (httpError.status >= 500 && !run.input.signal.aborted) onServerError?.(error);
        events.send('error', errorBody(httpError));
      } finally {
        events.end();
      }
    },
};
