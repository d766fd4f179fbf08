import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { presentedKey } from '../api-keys';
import { HttpError, sendError } from './errors';
import { FailedAuthentications } from './failed-authentications';
import { LIMITS } from '../limits';

const digest = (value: string) => createHash('sha256').update(value).digest();

const FAILED_AUTHENTICATIONS_PER_MINUTE = LIMITS.failedAuthenticationsPerMinute;

const missingKey = () =>
  new HttpError(
    'unauthorized',
    'Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
    {
      'WWW-Authenticate': 'Bearer',
    },
  );
const wrongKey = () =>
  new HttpError('unauthorized', 'The API key is not valid.', { 'WWW-Authenticate': 'Bearer' });

/**
 * The address a request came from: the TCP peer (Express's `request.ip`; `trust proxy` is not
 * set), with IPv6 addresses grouped by /56 as express-rate-limit does, so that one host cannot
 * rotate through its addresses.
 */
const addressOf = (request: Request) => ipKeyGenerator(request.ip ?? 'unknown');

/**
 * Who a request refused at the server's edge is from: its connection's address (IPv6 grouped as
 * `callerOf` groups it), since the edge runs before Express reads a key or a proxy's header.
 */
export const edgeCallerOf = (request: IncomingMessage): string =>
  ipKeyGenerator(request.socket.remoteAddress ?? 'unknown');

/**
 * Who a request is from, for what is counted per caller (the rate limit, runs in flight): its API
 * key when keys are on (`requireApiKey` names it), else its address. Behind a proxy every client
 * without a key is the proxy's address, one caller.
 */
export const callerOf = (request: Request, response: Response): string =>
  (response.locals.clientId as string | undefined) ?? addressOf(request);

/**
 * A 401, counted against the address; past `perMinute` failures in a minute, a 429 instead, so
 * guessing keys is slowed down. Only requests without a valid key ever get here: a valid key is
 * never refused, whatever its address did.
 */
function refuseUnauthenticated(
  failures: FailedAuthentications,
  request: Request,
  response: Response,
  refusal: HttpError,
): void {
  const address = addressOf(request);
  const retryAfter = failures.retryAfterSeconds(address);
  if (retryAfter > 0) {
    const message = `More than ${failures.perMinute} failed authentications from this address in a minute. Retry after ${retryAfter} s.`;
    return sendError(
      response,
      new HttpError('rate_limited', message, { 'Retry-After': String(retryAfter) }),
    );
  }
  failures.count(address);
  sendError(response, refusal);
}

/**
 * Optional API-key authentication (`AGENT_API_KEYS`). A key is accepted as `Authorization: Bearer
 * <key>` or `X-API-Key: <key>`. Keys are compared as SHA-256 digests with `timingSafeEqual`,
 * against every configured key, so the time taken says nothing about how much of a key was right.
 */
export function requireApiKey(
  keys: readonly string[],
  failures = new FailedAuthentications(FAILED_AUTHENTICATIONS_PER_MINUTE),
): RequestHandler {
  const digests = keys.map(digest);
  return (request, response, next) => {
    const key = presentedKey(request.get('authorization'), request.get('x-api-key'));
    if (!key) return refuseUnauthenticated(failures, request, response, missingKey());
    const presented = digest(key);
    let matched = false;
    for (const candidate of digests) matched = timingSafeEqual(presented, candidate) || matched;
    if (!matched) return refuseUnauthenticated(failures, request, response, wrongKey());
    // Rate limits count per key, not per address: many clients can share one address.
    response.locals.clientId = `key:${presented.toString('hex').slice(0, 16)}`;
    next();
  };
}

/**
 * At most `perMinute` requests a minute per client (its API key, else its address); 429 with
 * `Retry-After` past that.
 */
export function limitRate(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: callerOf,
    handler: (request, response) => {
      const resetTime = (request as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(
        1,
        Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000),
      );
      const message = `More than ${perMinute} requests in a minute. Retry after ${retryAfter} s.`;
      sendError(
        response,
        new HttpError('rate_limited', message, { 'Retry-After': String(retryAfter) }),
      );
    },
  });
}
