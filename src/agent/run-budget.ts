import { TypedError } from '../errors';
import { startDeadline, type Deadline } from '../deadline';

export type RunErrorType =
  'request_timeout' | 'request_cancelled' | 'shutdown_timeout' | 'model_call_limit';

/**
 * The run as a whole had to stop: its deadline passed, its client left, the service cut it, or it
 * used up its model calls.
 */
export class RunError extends TypedError<RunErrorType> {
  override readonly name = 'RunError';
}

/**
 * Why a caller's signal stopped the work: the `RunError` it aborted with (graceful shutdown's
 * `shutdown_timeout`), else the client went away.
 */
export function stopReasonOf(signal: AbortSignal, clientLeft: string): RunError {
  return signal.reason instanceof RunError
    ? signal.reason
    : new RunError('request_cancelled', clientLeft);
}

export interface RunBudgetOptions {
  timeoutMs: number;
  maxModelCalls: number;
  /** The caller's signal: aborted when the client disconnects or shutdown cuts the request. */
  signal?: AbortSignal;
}

/**
 * What one request may spend: a deadline for the whole run, whatever the model does, and a cap
 * on model calls (retries included). Every model call, tool and wait takes `signal`.
 */
export class RunBudget {
  private readonly deadline: Deadline;
  private readonly clientSignal: AbortSignal | undefined;
  private readonly endsAt: number;
  private modelCalls = 0;

  constructor(private readonly options: RunBudgetOptions) {
    this.deadline = startDeadline(options.timeoutMs, options.signal);
    this.clientSignal = options.signal;
    this.endsAt = Date.now() + options.timeoutMs;
  }

  /** Aborted at the run's deadline or when the client leaves. */
  get signal(): AbortSignal {
    return this.deadline.signal;
  }

  get modelCallsMade(): number {
    return this.modelCalls;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** Counts a model call, or throws if the run has none left or must stop. */
  takeModelCall(): void {
    this.throwIfStopped();
    if (this.modelCalls >= this.options.maxModelCalls) {
      throw new RunError(
        'model_call_limit',
        `The run needed more than ${this.options.maxModelCalls} model calls.`,
      );
    }
    this.modelCalls += 1;
  }

  throwIfStopped(): void {
    if (this.deadline.expired) {
      throw new RunError(
        'request_timeout',
        `The request did not finish within ${this.options.timeoutMs} ms (REQUEST_TIMEOUT_MS).`,
      );
    }
    if (this.clientSignal?.aborted)
      throw stopReasonOf(
        this.clientSignal,
        'The client closed the connection before the answer was ready.',
      );
  }

  /** Waits, unless the run must stop first. */
  async wait(ms: number): Promise<void> {
    const { signal } = this;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
    this.throwIfStopped();
  }

  /** Releases the deadline's timer; the run is over. */
  dispose(): void {
    this.deadline.dispose();
  }
}
