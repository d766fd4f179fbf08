import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import { ModelError, type ModelErrorType } from '../model-errors';
import { parseRetryAfter } from '../retry-after';
import { retryDelayFromDetails } from './retry-info';

function typeForStatus(status: number): ModelErrorType {
  if (status === 429) return 'model_rate_limited';
  if (status === 401 || status === 403) return 'model_auth_failed';
  if (status >= 500) return 'model_unavailable';
  return 'model_rejected_request';
}

/**
 * By name, not `instanceof`: aborts arrive as DOMExceptions, and JSON failures as another realm's
 * SyntaxError under test runners.
 */
const nameOf = (error: unknown): unknown => (error as { name?: unknown } | null)?.name;

function isAbort(error: unknown): boolean {
  return (
    error instanceof GoogleGenerativeAIAbortError ||
    nameOf(error) === 'AbortError' ||
    nameOf(error) === 'TimeoutError'
  );
}

/**
 * Turns whatever the SDK threw into a `ModelError` that says which of the known failures it was,
 * with how long the server asked us to wait, from the `Retry-After` header or Google's `RetryInfo`.
 */
export function classifyGeminiError(
  error: unknown,
  headers?: ReadonlyMap<string, string>,
): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof GoogleGenerativeAIFetchError && error.status) {
    const detail = error.statusText ? ` ${error.statusText}` : '';
    const retryAfterSeconds =
      parseRetryAfter(headers?.get('retry-after')) ?? retryDelayFromDetails(error.errorDetails);
    return new ModelError(
      typeForStatus(error.status),
      `The model API answered ${error.status}${detail}.`,
      {
        cause: error,
        status: error.status,
        retryAfterSeconds,
      },
    );
  }
  if (isAbort(error))
    return new ModelError('model_timeout', 'The model call did not finish in time.', {
      cause: error,
    });
  if (nameOf(error) === 'SyntaxError')
    return new ModelError(
      'model_bad_response',
      'The model API answered with a body that is not JSON.',
      { cause: error },
    );
  if (error instanceof GoogleGenerativeAIError)
    return new ModelError('model_network_error', 'The model API could not be reached.', {
      cause: error,
    });
  return new ModelError(
    'model_network_error',
    `The model call failed: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  );
}
