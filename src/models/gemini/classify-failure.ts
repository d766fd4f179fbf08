import { ModelError, type ModelErrorType } from '../model-errors';
import { parseRetryAfter } from '../retry-after';
import { retryDelayFromDetails } from './retry-info';

function typeForStatus(status: number): ModelErrorType {
  if (status === 429) return 'model_rate_limited';
  if (status === 401 || status === 403) return 'model_auth_failed';
  if (status >= 500) return 'model_unavailable';
  return 'model_rejected_request';
}

export interface HttpFailure {
  status: number;
  /** `Service Unavailable`, or Google's `UNAVAILABLE`: named in the message, never the body. */
  statusText?: string;
  /** Google's `error.details`, where a 429 carries its `RetryInfo`. */
  details?: unknown;
  /** The response's headers, for `Retry-After`. */
  headers?: ReadonlyMap<string, string>;
  cause: unknown;
}

/**
 * A non-2xx answer of the API as a `ModelError`, with how long the server asked us to wait: the
 * `Retry-After` header, else Google's `RetryInfo`. The message names the status only: the body is
 * the API's text, kept as the cause.
 */
export function classifyHttpFailure({
  status,
  statusText,
  details,
  headers,
  cause,
}: HttpFailure): ModelError {
  const retryAfterSeconds =
    parseRetryAfter(headers?.get('retry-after')) ?? retryDelayFromDetails(details);
  return new ModelError(
    typeForStatus(status),
    `The model API answered ${status}${statusText ? ` ${statusText}` : ''}.`,
    { cause, status, retryAfterSeconds },
  );
}

/**
 * By name, not `instanceof`: aborts arrive as DOMExceptions, and JSON failures as another realm's
 * SyntaxError under test runners.
 */
const nameOf = (error: unknown): unknown => (error as { name?: unknown } | null)?.name;

const isAbortName = (error: unknown): boolean =>
  nameOf(error) === 'AbortError' || nameOf(error) === 'TimeoutError';

/**
 * `@google/genai` wraps what is not an `Error` of its own realm (a DOMException, under a test
 * runner) in an `Error` whose cause it is.
 */
const isAbort = (error: unknown): boolean =>
  isAbortName(error) || isAbortName((error as { cause?: unknown } | null)?.cause);

export const modelTimeout = (cause: unknown): ModelError =>
  new ModelError('model_timeout', 'The model call did not finish in time.', { cause });

export const modelUnreachable = (cause: unknown): ModelError =>
  new ModelError('model_network_error', 'The model API could not be reached.', { cause });

/**
 * A failure that is not an answer of the API: ours already classified, an abort (our deadline), a
 * body that is not JSON, or the network.
 */
export function classifyOtherFailure(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (isAbort(error)) return modelTimeout(error);
  if (nameOf(error) === 'SyntaxError')
    return new ModelError(
      'model_bad_response',
      'The model API answered with a body that is not JSON.',
      { cause: error },
    );
  return new ModelError(
    'model_network_error',
    `The model call failed: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  );
}
