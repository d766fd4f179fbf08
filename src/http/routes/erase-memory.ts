import { z } from 'zod';
import type { MemoryStore } from '../../agent/memory/memory-store';
import type { AgentTracer } from '../../tracing/agent-tracer';
import { callerScopeOf, ON_BEHALF_OF } from '../caller-scope';
import { HttpError } from '../errors';
import { describeValidationError, identifier } from '../execute-request';
import { userInQuery } from '../request-context';
import type { Route } from './route';

export interface EraseMemoryNeeds {
  memory: MemoryStore;
  tracer: AgentTracer;
}

/** `DELETE /api/v1/memory?user_id=…[&session_id=…]`: unknown parameters are refused. */
const eraseQuerySchema = z
  .object({
    user_id: identifier.describe('The user whose memory is erased (within your own scope).'),
    session_id: identifier
      .optional()
      .describe("Only this session's turns; without it, all of the user's memory."),
  })
  .strict();

const eraseResponseSchema = z.object({
  erased: z.number().int().min(0).describe('How many records (turns) were erased.'),
});

/**
 * Erases a user's memory, or one session of it, within the caller's own scope: a caller can only
 * ever erase what it could read. Answers how many records (turns) were erased.
 */
export const eraseMemory: Route<EraseMemoryNeeds> = {
  operation: {
    method: 'delete',
    path: '/api/v1/memory',
    operationId: 'eraseMemory',
    summary: "Erase a user's memory",
    description:
      "Erases the user's turns (all sessions, or one with session_id), within the caller's scope: a caller can only erase what its own runs could read. Unknown parameters are rejected.",
    query: eraseQuerySchema,
    headers: [ON_BEHALF_OF],
    response: eraseResponseSchema,
    errors: ['invalid_request', 'memory_unavailable'],
  },
  // Like a run's, the trace says whose request it is: the user on its root, and on every span.
  userOf: userInQuery,
  handler:
    ({ memory, tracer }) =>
    async (request, response) => {
      const parsed = eraseQuerySchema.safeParse(request.query);
      if (!parsed.success)
        throw new HttpError('invalid_request', describeValidationError(parsed.error));
      const { user_id: userId, session_id: sessionId } = parsed.data;
      const user = { caller: callerScopeOf(request, response) ?? '', userId };
      const info = { operation: 'erase', memoryType: 'all', backend: memory.backend } as const;
      const erased = await tracer
        .traceMemoryOperation(info, async (operation) => {
          const count = await memory.erase(user, sessionId);
          operation.outcome({ records: count });
          return count;
        })
        .catch(() => {
          throw new HttpError(
            'memory_unavailable',
            'Memory is unavailable right now; nothing was erased. Try again later.',
          );
        });
      response.json(eraseResponseSchema.parse({ erased }));
    },
};
