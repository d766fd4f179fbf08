import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
} from '@google/generative-ai';
import { ModelError } from '../model-errors';
import {
  classifyHttpFailure,
  classifyOtherFailure,
  modelTimeout,
  modelUnreachable,
} from './classify-failure';

/**
 * What the SDK's stream reader throws for an answer it could not read: the connection worked. It
 * finds each event with `/^data: (.*)\n\n/`, and `.` stops at U+2028 and U+2029, which the API
 * sends as they are when the model's text holds them (a task that quotes them is enough).
 */
const UNREADABLE_STREAM = /Failed to parse stream|Error parsing JSON response/;

const unreadableStream = (cause: unknown) =>
  new ModelError(
    'model_bad_response',
    'The model API answered a stream @google/generative-ai could not read (its reader stops at U+2028 and U+2029 in the text); GEMINI_SDK=genai reads it.',
    { cause },
  );

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
  if (error instanceof GoogleGenerativeAIError && UNREADABLE_STREAM.test(error.message))
    return unreadableStream(error);
  // Its other errors wrap a network failure ("Error fetching from ...").
  if (error instanceof GoogleGenerativeAIError) return modelUnreachable(error);
  return classifyOtherFailure(error);
}
