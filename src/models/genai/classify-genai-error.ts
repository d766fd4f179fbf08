import { ApiError } from '@google/genai';
import type { ModelError } from '../model-errors';
import { classifyHttpFailure, classifyOtherFailure } from '../gemini/classify-failure';

/** `ApiError`'s message is the API's error body as JSON: Google's `{"error": {status, details}}`. */
function googleErrorOf(error: ApiError): { status?: unknown; details?: unknown } {
  try {
    const body = JSON.parse(error.message) as { error?: { status?: unknown; details?: unknown } };
    return body?.error ?? {};
  } catch {
    return {};
  }
}

/**
 * Turns whatever `@google/genai` threw into the same `ModelError`s as the other adapter. It throws
 * `ApiError` for a non-2xx answer (and for an error inside a stream), and lets `fetch`'s own
 * failures (abort, network) and a non-JSON body's `SyntaxError` through.
 */
export function classifyGenaiError(
  error: unknown,
  headers?: ReadonlyMap<string, string>,
): ModelError {
  if (error instanceof ApiError && error.status) {
    const { status: googleStatus, details } = googleErrorOf(error);
    // Only Google's status word (`RESOURCE_EXHAUSTED`): the body is the server's text, and a proxy
    // may put anything in it.
    const statusText =
      typeof googleStatus === 'string' && /^[A-Z_]{1,40}$/.test(googleStatus)
        ? googleStatus
        : undefined;
    return classifyHttpFailure({
      status: error.status,
      statusText,
      details,
      headers,
      cause: error,
    });
  }
  return classifyOtherFailure(error);
}
