import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { presentedKey } from '../api-keys';
import { HttpError, sendError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Optional API-key authentication (`AGENT_API_KEYS`). A key is accepted as `Authorization: Bearer
 * <key>` or `X-API-Key: <key>`. Keys are compared as SHA-256 digests with `timingSafeEqual`, against
 * every configured key, so the time taken says nothing about how much of a key was right.
 */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  const digests = keys.map(digest);
  return (request, response, next) => {
    const key = presentedKey(request.get('authorization'), request.get('x-api-key'));
    if (!key) {
      return sendError(
        response,
        new HttpError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".', {
          'WWW-Authenticate': 'Bearer',
        }),
      );
    }
    const presented = digest(key);
    let matched = false;
    for (const candidate of digests) matched = timingSafeEqual(presented, candidate) || matched;
    if (!matched)
      return sendError(response, new HttpError(401, 'unauthorized', 'The API key is not valid.', { 'WWW-Authenticate': 'Bearer' }));
    // Rate limits count per key, not per address: many clients can share one address.
    response.locals.clientId = `key:${presented.toString('hex').slice(0, 16)}`;
    next();
  };
}

function minuteLimiter(perMinute: number, what: string, options: Partial<Parameters<typeof rateLimit>[0]>): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (request, response) => {
      const resetTime = (request as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      const message = `More than ${perMinute} ${what} in a minute. Retry after ${retryAfter} s.`;
      sendError(response, new HttpError(429, 'rate_limited', message, { 'Retry-After': String(retryAfter) }));
    },
    ...options,
  });
}

/** At most `perMinute` requests a minute per client (its API key, else its address); 429 with `Retry-After` past that. */
export function limitRate(perMinute: number): RequestHandler {
  return minuteLimiter(perMinute, 'requests', {
    keyGenerator: (request, response) => (response.locals.clientId as string | undefined) ?? ipKeyGenerator(request.ip ?? 'unknown'),
  });
}

export const FAILED_AUTHENTICATIONS_PER_MINUTE = 20;

/** Counts only the 401s of an address: guessing keys is slowed down, honest clients never notice. */
export function limitFailedAuthentication(perMinute = FAILED_AUTHENTICATIONS_PER_MINUTE): RequestHandler {
  return minuteLimiter(perMinute, 'failed authentications', {
    keyGenerator: (request) => ipKeyGenerator(request.ip ?? 'unknown'),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_request, response) => response.statusCode !== 401,
  });
}
