import type { Request, Response } from 'express';
import { ON_BEHALF_OF_HEADER } from '../agent/sub-agent-client';
import { LIMITS } from '../limits';
import { HttpError } from './errors';

/** Identifier-like, and long enough for a scope that is itself nested (`key:…/key:…`). */
const ON_BEHALF_OF_VALUE = new RegExp(`^[\\w.:@/-]{1,${LIMITS.maxOnBehalfOfLength}}$`);

/** The header as the OpenAPI document describes it, on every route that reads it. */
export const ON_BEHALF_OF = {
  name: 'X-On-Behalf-Of',
  description:
    "The tenant a service calls for: memory is scoped by the caller's key and this id (see docs/api.md).",
  pattern: ON_BEHALF_OF_VALUE,
};

/**
 * Whose memory a request works in. Without `X-On-Behalf-Of` it is the authenticated caller (a
 * digest prefix of its API key; none when the service is open). With it, a scope inside the
 * caller's: another service names the tenant it works for, but only ever inside its own key's
 * scope, so a client that names someone else's tenant reaches a scope of its own. A client id
 * never holds `/`, so the two parts cannot be confused.
 */
export function callerScopeOf(request: Request, response: Response): string | undefined {
  const clientId = response.locals.clientId as string | undefined;
  const onBehalfOf = request.get(ON_BEHALF_OF_HEADER);
  if (onBehalfOf === undefined) return clientId;
  if (!ON_BEHALF_OF_VALUE.test(onBehalfOf)) {
    throw new HttpError(
      'invalid_request',
      `X-On-Behalf-Of must be 1 to ${LIMITS.maxOnBehalfOfLength} characters of letters, digits and . _ : @ / -.`,
    );
  }
  return `${clientId ?? ''}/${onBehalfOf}`;
}
