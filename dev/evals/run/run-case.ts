import type { EvalCase } from '../dataset/case-schema';
import type { CaseAnswer } from '../evaluators';
import { bodyOf, sendTurn, type TurnAnswer } from './send-turn';

export interface CaseRun {
  answer: CaseAnswer;
  traceId: string | undefined;
  /** The evaluated request, from sending it to its answer. */
  durationMs: number;
}

export interface RunCaseOptions {
  agentUrl: string;
  /** Makes the case's users and sessions its own. */
  namespace: string;
  /** For the whole case, earlier turns included. */
  timeoutMs: number;
  apiKey?: string;
}

function answerOf({ status, body }: TurnAnswer): CaseAnswer {
  const json = (body ?? {}) as {
    response?: unknown;
    stopped_reason?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    status,
    answer: text(json.response) ?? text(json.error?.message) ?? text(body),
    errorCode: text(json.error?.code),
    stoppedReason: text(json.stopped_reason),
    failure: undefined,
  };
}

const noAnswer = (failure: string): CaseAnswer => ({
  status: undefined,
  answer: undefined,
  errorCode: undefined,
  stoppedReason: undefined,
  failure,
});

/**
 * Sends a case's earlier turns, in order, then the turn it evaluates, all within the case's
 * deadline. An earlier turn that is refused ends the case: what follows would not mean anything.
 */
export async function runCase(
  evalCase: EvalCase,
  { agentUrl, namespace, timeoutMs, apiKey }: RunCaseOptions,
): Promise<CaseRun> {
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    for (const [index, turn] of evalCase.setup.entries()) {
      const earlier = await sendTurn(agentUrl, bodyOf(turn, namespace), { signal, apiKey });
      if (earlier.status >= 300)
        return {
          answer: noAnswer(`earlier turn ${index + 1} was answered ${earlier.status}`),
          traceId: earlier.traceId,
          durationMs: elapsed(),
        };
    }
    const sent = performance.now();
    const answered = await sendTurn(agentUrl, bodyOf(evalCase.input, namespace), {
      signal,
      apiKey,
    });
    return {
      answer: answerOf(answered),
      traceId: answered.traceId,
      durationMs: performance.now() - sent,
    };
  } catch (error) {
    const failure = signal.aborted
      ? `the case's deadline of ${timeoutMs} ms passed`
      : `no answer: ${(error as Error).message}`;
    return { answer: noAnswer(failure), traceId: undefined, durationMs: elapsed() };
  }
}
