import type { ModelTurn } from '../models/model';

export type StoppedReason = 'completed' | 'max_steps';

/** True once the loop has run `maxSteps` tool steps. */
export const isStepCount =
  (maxSteps: number) =>
  (stepsTaken: number): boolean =>
    stepsTaken >= maxSteps;

/** The model is done when it asks for no more tools. */
export const hasFinalAnswer = (turn: ModelTurn): boolean => turn.toolCalls.length === 0;

export function stoppedReasonOf(lastTurn: ModelTurn): StoppedReason {
  return hasFinalAnswer(lastTurn) ? 'completed' : 'max_steps';
}
