import type { Score } from '../evaluators';

/** One case of an experiment, as every report shows it. */
export interface CaseResult {
  id: string;
  tags: string[];
  /** What was asked (the evaluated turn's task, or its raw body). */
  task: string;
  traceId: string | undefined;
  /** Undefined when no spans are collected; false when the wait for them ended first. */
  traceComplete: boolean | undefined;
  status: number | undefined;
  answer: string | undefined;
  /** Why there is no answer, when there is none. */
  failure: string | undefined;
  /** The evaluated request, from sending it to its answer. */
  durationMs: number;
  /** From the run's span, as the metrics record them: its duration, tokens and cost. */
  latencyMs: number | undefined;
  tokens: number | undefined;
  costUsd: number | undefined;
  scores: Score[];
  /** Every score passed. */
  passed: boolean;
}
