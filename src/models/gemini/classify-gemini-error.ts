import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import type { ModelError } from '../model-errors';
import {
  classifyHttpFailure,
  classifyOtherFailure,
  modelTimeout,
  modelUnreachable,
} from './classify-failure';

/**
 * Turns whatever `@google/generative-ai` threw into a `ModelError` that says which of the known
 * failures it was, with how long the server asked us to wait, from the `Retry-After` header or
 * Google's `RetryInfo`.
 */
export function classifyGeminiError(
  error: unknown,
  headers?: ReadonlyMap<string, string>,
): ModelError {
  if (error instanceof GoogleGenerativeAIFetchError && error.status) {
    const { status, statusText, errorDetails: details } = error;
    return classifyHttpFailure({ status, statusText, details, headers, cause: error });
  }
  if (error instanceof GoogleGenerativeAIAbortError) return modelTimeout(error);
  // Its other errors wrap a network failure ("Error fetching from ...").
  if (error instanceof GoogleGenerativeAIError) return modelUnreachable(error);
  return classifyOtherFailure(error);
}
