import type { Request, Response } from 'express';
import type { Agent, AgentRunInput, AgentRunResult } from '../../agent/agent';
import type { ExecuteResponse } from '../../agent/execute-response';
import { callerScopeOf } from '../caller-scope';
import { codesOf, MODEL_ERROR_STATUS, RUN_ERROR_STATUS } from '../errors';
import { executeRequestSchema, type ExecuteRequest } from '../execute-request';
import { FEEDBACK_PATH } from '../feedback-request';
import { shutdownSignal } from '../graceful-shutdown';
import type { RecentRuns } from '../recent-runs';
import type { Admission } from '../admission/admission';
import { parseBody } from './request-body';

/** Where the runs that take feedback are remembered, and who is told when that fails. */
interface FeedbackNeeds {
  recentRuns: RecentRuns;
  /** The run was answered but not remembered (the database failed): its answer has no `feedback`. */
  onRecentRunsFailure?: (error: unknown) => void;
}

/** What a route that starts a run is given; its runs take feedback when `recentRuns` is given. */
export interface RunNeeds extends Partial<FeedbackNeeds> {
  agent: Agent;
  /** Whether the process can hold another run (src/http/admission/); without it, no limit. */
  admission?: Admission;
}

/** What a run may fail with: execute answers it as JSON, the stream as its last event. */
export const RUN_ERRORS = [...codesOf(MODEL_ERROR_STATUS), ...codesOf(RUN_ERROR_STATUS)];

/** A run as its request asks for it: the valid body, and the agent's input made of it. */
export interface RunRequest {
  body: ExecuteRequest;
  input: AgentRunInput & { signal: AbortSignal };
}

/**
 * The one path from a request to a run. The run is admitted right before it starts: once its body
 * has arrived (the body reader came first) and is valid, so a client slow to send its body, or one
 * sending nonsense, holds no place among the runs in flight. It works in the caller's memory scope, and is
 * cancelled when its client goes away.
 */
export function runFromRequest(
  request: Request,
  response: Response,
  admission?: Admission,
): RunRequest {
  const body = parseBody(request, executeRequestSchema);
  admission?.admit(request, response);
  const memoryScope = callerScopeOf(request, response);
  return {
    body,
    input: {
      task: body.task,
      userId: body.user_id,
      sessionId: body.session_id,
      memoryScope,
      maxSteps: body.max_steps,
      signal: signalForClient(response),
    },
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

/**
 * The answer of a run, execute's body and the stream's `run.finished` alike: with where and until
 * when feedback on it is taken, once the run is remembered for it. A run that cannot be remembered
 * is still answered, without the link; without `recentRuns`, no run takes feedback.
 */
export async function answerOf(
  result: AgentRunResult,
  { memoryScope, userId }: AgentRunInput,
  { recentRuns, onRecentRunsFailure }: Partial<FeedbackNeeds> = {},
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
