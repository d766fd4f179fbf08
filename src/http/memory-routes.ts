import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { MemoryStore } from '../agent/memory/memory-store';
import type { AgentTracer } from '../tracing/agent-tracer';
import * as semconv from '../tracing/semconv';
import { callerScopeOf } from './caller-scope';
import { HttpError, methodNotAllowed } from './errors';
import { describeValidationError, identifier } from './execute-request';

/** `DELETE /api/v1/memory?user_id=…[&session_id=…]`: unknown parameters are refused. */
const eraseQuerySchema = z
  .object({ user_id: identifier, session_id: identifier.optional() })
  .strict();

/**
 * Erases a user's memory, or one session of it, within the caller's own scope: a caller can only
 * ever erase what it could read. Answers how many records (turns) were erased.
 */
function eraseHandler(memory: MemoryStore, tracer: AgentTracer): RequestHandler {
  return async (request, response) => {
    const parsed = eraseQuerySchema.safeParse(request.query);
    if (!parsed.success)
      throw new HttpError(400, 'invalid_request', describeValidationError(parsed.error));
    const { user_id: userId, session_id: sessionId } = parsed.data;
    const user = { caller: callerScopeOf(request, response) ?? '', userId };
    const erased = await tracer
      .traceMemoryOperation(
        { operation: 'erase', memoryType: 'all', backend: memory.backend },
        async (span) => {
          const count = await memory.erase(user, sessionId);
          tracer.setAttributes(span, { [semconv.ATTR_MEMORY_RECORDS_ERASED]: count });
          return count;
        },
      )
      .catch(() => {
        throw new HttpError(
          503,
          'memory_unavailable',
          'Memory is unavailable right now; nothing was erased. Try again later.',
        );
      });
    response.json({ erased });
  };
}

export function createMemoryRouter(memory: MemoryStore, tracer: AgentTracer): Router {
  const router = Router();
  router
    .route('/api/v1/memory')
    .delete(eraseHandler(memory, tracer))
    .all(methodNotAllowed(['DELETE']));
  return router;
}
