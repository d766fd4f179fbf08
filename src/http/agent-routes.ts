import { Router, type Request, type Response } from 'express';
import type { Agent, AgentRunResult } from '../agent/agent';
import { HttpError } from './errors';
import { describeValidationError, executeRequestSchema } from './execute-request';
import { TRACE_ID_HEADER } from './trace-id';

export interface ExecuteResponse {
  response: string;
  steps: AgentRunResult['steps'];
  total_steps: number;
  stopped_reason: AgentRunResult['stoppedReason'];
  trace_id: string | null;
  usage: { input_tokens: number; output_tokens: number };
}

export function toExecuteResponse(result: AgentRunResult): ExecuteResponse {
  return {
    response: result.response,
    steps: result.steps,
    total_steps: result.totalSteps,
    stopped_reason: result.stoppedReason,
    trace_id: result.traceId,
    usage: { input_tokens: result.usage.inputTokens, output_tokens: result.usage.outputTokens },
  };
}

/** Aborted when the client disconnects before the answer is sent, so no work goes on for nobody. */
export function signalForClient(response: Response): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

export function parseExecuteRequest(request: Request) {
  if (!request.is('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const parsed = executeRequestSchema.safeParse(request.body);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', describeValidationError(parsed.error));
  return parsed.data;
}

export function createAgentRouter(agent: Agent): Router {
  const router = Router();
  router.post('/api/v1/agent/execute', async (request, response) => {
    const body = parseExecuteRequest(request);
    const result = await agent.run({
      task: body.task,
      userId: body.user_id,
      sessionId: body.session_id,
      maxSteps: body.max_steps,
      signal: signalForClient(response),
    });
    if (result.traceId) response.setHeader(TRACE_ID_HEADER, result.traceId);
    response.json(toExecuteResponse(result));
  });
  return router;
}
