import type { ModelTurn } from '../models/model';
import type { StoppedReason } from './stop-conditions';

/**
 * Why an answer ended, in the words of the GenAI output message format (`stop`, `length`,
 * `content_filter`, `tool_call`, or the provider's own reason): Gemini's reasons are upper case
 * and several of them mean a content filter.
 */
const GEMINI_FINISH_REASONS: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
};

/** A turn that asks for tools ended for them, whatever the API says (Gemini says `STOP`). */
export function turnFinishReason(turn: ModelTurn): string {
  if (turn.toolCalls.length > 0) return 'tool_call';
  const [reason] = turn.finishReasons;
  if (reason === undefined) return 'stop';
  return GEMINI_FINISH_REASONS[reason] ?? reason.toLowerCase();
}

/** The run's answer: `stop` when the model finished, else how the run was stopped. */
export const runFinishReason = (stoppedReason: StoppedReason): string =>
  stoppedReason === 'completed' ? 'stop' : stoppedReason;
