import { LIMITS } from '../limits';
import type { ModelError } from '../models/model-errors';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: LIMITS.modelMaxAttempts,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
};

/** Worth another try: rate limits, the API's own failures, and a connection that did not happen. */
export function isRetryable(error: ModelError): boolean {
  return (
    error.errorType === 'model_rate_limited' ||
    error.errorType === 'model_unavailable' ||
    error.errorType === 'model_network_error'
  );
}

/**
 * How long to wait before attempt `attempt + 1`: what the server asked for (`Retry-After` or
 * Google's `RetryInfo`), else exponential backoff with full jitter, so that many clients that
 * failed together do not retry together.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0)
    return Math.round(retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
