import { LIMITS } from '../limits';
import type { ModelError } from './model-errors';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: LIMITS.modelMaxAttempts, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Worth another try: rate limits, the API's own failures, and a connection that did not happen. */
export function isRetryable(error: ModelError): boolean {
  return error.errorType === 'model_rate_limited' || error.errorType === 'model_unavailable' || error.errorType === 'model_network_error';
}

/**
 * How long to wait before attempt `attempt + 1`: what the server asked for (`Retry-After` or
 * Google's `RetryInfo`), else exponential backoff with full jitter, so that many clients that
 * failed together do not retry together.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) return Math.round(retryAfterSeconds * 1000);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** Google's error details carry `{"@type": ".../google.rpc.RetryInfo", "retryDelay": "13s"}` on 429s. */
export function retryDelayFromDetails(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const { '@type': type, retryDelay } = (detail ?? {}) as { '@type'?: unknown; retryDelay?: unknown };
    if (typeof type === 'string' && type.endsWith('google.rpc.RetryInfo') && typeof retryDelay === 'string') {
      const seconds = Number.parseFloat(retryDelay);
      if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    }
  }
  return undefined;
}
