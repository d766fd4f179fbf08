import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError, sendError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  return bearer?.trim() || apiKeyHeader?.trim() || undefined;
}

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

/** At most `perMinute` requests a minute per client (its API key, else its address); 429 with `Retry-After` past that. */
export function limitRate(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (request, response) => (response.locals.clientId as string | undefined) ?? ipKeyGenerator(request.ip ?? 'unknown'),
    handler: (request, response) => {
      const resetTime = (request as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      sendError(
        response,
        new HttpError(429, 'rate_limited', `More than ${perMinute} requests in a minute. Retry after ${retryAfter} s.`, {
          'Retry-After': String(retryAfter),
        }),
      );
    },
  });
}
