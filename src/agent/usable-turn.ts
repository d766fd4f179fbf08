import { ModelError } from '../models/model-errors';
import type { ModelTurn } from '../models/model';

/** Finish reasons with which the provider withheld the answer. */
const BLOCKED_FINISH_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);
const MALFORMED_FUNCTION_CALL = 'MALFORMED_FUNCTION_CALL';

/**
 * A turn the loop can use has text or tool calls. Otherwise it says why not: blocked by the
 * provider, a function call the model could not form (recoverable: the loop asks again), or
 * nothing.
 */
export function assertUsableTurn(turn: ModelTurn): void {
  if (turn.text !== undefined || turn.toolCalls.length > 0) return;
  const reasons = turn.finishReasons.join(', ') || 'none';
  if (turn.finishReasons.some((reason) => BLOCKED_FINISH_REASONS.has(reason))) {
    throw new ModelError(
      'model_blocked',
      `The model withheld its answer (finish reason ${reasons}).`,
    );
  }
  if (turn.finishReasons.includes(MALFORMED_FUNCTION_CALL)) {
    throw new ModelError(
      'model_malformed_function_call',
      'The model produced a function call it could not form (MALFORMED_FUNCTION_CALL).',
    );
  }
  throw new ModelError(
    'model_bad_response',
    `The model answered with no content (finish reason ${reasons}).`,
  );
}
