import { executeResponseSchema } from '../../agent/execute-response';
import type { SubAgentClient } from '../../agent/sub-agent-client';
import type { AgentTracer } from '../../tracing/agent-tracer';
import { ON_BEHALF_OF } from '../caller-scope';
import { codesOf, SUB_AGENT_ERROR_STATUS } from '../errors';
import { executeRequestSchema } from '../execute-request';
import { userInBody } from '../request-context';
import type { Admission } from '../admission/admission';
import { BODY_ERRORS } from './request-body';
import type { Route } from './route';
import { runFromRequest } from './run-from-request';

export interface DelegateNeeds {
  subAgent: SubAgentClient;
  tracer: AgentTracer;
  admission?: Admission;
}

/**
 * `POST /api/v1/agent/delegate`, the workshop's delegation endpoint: the same request, answered by
 * the sub-agent service, on behalf of our caller, so that its session there is its own.
 */
export const delegate: Route<DelegateNeeds> = {
  operation: {
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
  },
  userOf: userInBody,
  handler:
    ({ subAgent, tracer, admission }) =>
    async (request, response) => {
      const { body, input } = runFromRequest(request, response, admission);
      const call = { signal: input.signal, onBehalfOf: input.memoryScope };
      const answer = await tracer.traceDelegation(
        { endpoint: subAgent.endpoint, agentName: subAgent.agentName, via: 'route' },
        () => subAgent.execute(body, call),
      );
      response.json(answer);
    },
};
