import type { Agent } from '../../agent/agent';
import { LIMITS } from '../../limits';
import type { AgentTracer } from '../../tracing/agent-tracer';
import { withRequestBaggage } from '../../tracing/propagation/request-identity';
import { callerScopeOf } from '../caller-scope';
import { HttpError } from '../errors';
import { FEEDBACK_PATH, feedbackRequestSchema, feedbackResponseSchema } from '../feedback-request';
import type { RecentRuns } from '../recent-runs';
import { BODY_ERRORS, parseBody } from './request-body';
import type { Route } from './route';

export interface FeedbackRouteNeeds {
  agent: Agent;
  recentRuns: RecentRuns;
  tracer: AgentTracer;
}

const NO_SUCH_RUN =
  'No run with this trace_id was answered to you recently: feedback is taken from the caller that ' +
  'made the run, until the expires_at of its answer.';

/**
 * `POST /api/v1/agent/feedback`: feedback on an earlier run, recorded in that run's trace
 * (`AgentTracer.recordFeedback`): only for runs this process answered recently, only from the
 * caller that made them, a few per run.
 */
export const feedback: Route<FeedbackRouteNeeds> = {
  operation: {
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
  },
  handler:
    ({ agent, recentRuns, tracer }) =>
    async (request, response) => {
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
      // The request names no user: the feedback span carries the run's, known only now.
      withRequestBaggage({ userId: claim.userId }, () =>
        tracer.recordFeedback(claim.task, {
          agentName: agent.name,
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
    },
};
