import { GoogleGenerativeAIAbortError, GoogleGenerativeAIError, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import { ModelError, type ModelErrorType } from './model-errors';

function typeForStatus(status: number): ModelErrorType {
  if (status === 429) return 'model_rate_limited';
  if (status === 401 || status === 403) return 'model_auth_failed';
  if (status >= 500) return 'model_unavailable';
  return 'model_rejected_request';
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof GoogleGenerativeAIAbortError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  );
}

/** Turns whatever the SDK threw into a `ModelError` that says which of the known failures it was. */
export function classifyGeminiError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof GoogleGenerativeAIFetchError && error.status) {
    const detail = error.statusText ? ` ${error.statusText}` : '';
    return new ModelError(typeForStatus(error.status), `The model API answered ${error.status}${detail}.`, {
      cause: error,
      status: error.status,
    });
  }
  if (isAbort(error)) return new ModelError('model_timeout', 'The model call did not finish in time.', { cause: error });
  if (error instanceof SyntaxError)
    return new ModelError('model_bad_response', 'The model API answered with a body that is not JSON.', { cause: error });
  if (error instanceof GoogleGenerativeAIError)
    return new ModelError('model_network_error', 'The model API could not be reached.', { cause: error });
  return new ModelError('model_network_error', `The model call failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
