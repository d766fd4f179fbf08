import { executeResponseSchema } from '../../agent/execute-response';
import { ON_BEHALF_OF } from '../caller-scope';
import { executeRequestSchema } from '../execute-request';
import { userInBody } from '../request-context';
import { BODY_ERRORS } from './request-body';
import type { Route } from './route';
import { answerOf, runFromRequest, RUN_ERRORS, type RunNeeds } from './run-from-request';

/** Runs the agent on the body's task and answers with the run, once it is done. */
function executeAt(
  path: string,
  operationId: string,
  { takesFeedback }: { takesFeedback: boolean },
): Route<RunNeeds> {
  return {
    operation: {
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
    },
    userOf: userInBody,
    handler:
      ({ agent, admission, recentRuns, onRecentRunsFailure }) =>
      async (request, response) => {
        const run = runFromRequest(request, response, admission);
        const result = await agent.run(run.input);
        const feedback = takesFeedback ? { recentRuns, onRecentRunsFailure } : {};
        response.json(await answerOf(result, run.input, feedback));
      },
  };
}

/** `POST /api/v1/agent/execute`: the agent's; its answer says where feedback on it is taken. */
export const execute = executeAt('/api/v1/agent/execute', 'executeAgent', {
  takesFeedback: true,
});

/** `POST /api/v1/execute`: the same route on the sub-agent, whose caller takes no feedback. */
export const subAgentExecute = executeAt('/api/v1/execute', 'execute', { takesFeedback: false });
