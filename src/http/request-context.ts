import type { Request, RequestHandler } from 'express';
import { identifyServerSpan, withRequestBaggage } from '../tracing/propagation/request-identity';
import { correlationIdOf } from './correlation-id';
import { identifier } from './execute-request';

/** Whose request it is, as its input names it: read before the route validates that input. */
export type UserOf = (request: Request) => { userId?: string; sessionId?: string };

/** Only a well-formed id is taken; the route then refuses the request for a malformed one. */
const idOrNothing = (value: unknown): string | undefined =>
  identifier.safeParse(value).success ? (value as string) : undefined;

/** A run's user and session: its JSON body's `user_id` and `session_id`. */
export const userInBody: UserOf = ({ body }) => {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return { userId: idOrNothing(fields.user_id), sessionId: idOrNothing(fields.session_id) };
};

/**
 * The user a request works on, from its query's `user_id`. A session the query names only narrows
 * what is worked on: it is not the request's session.
 */
export const userInQuery: UserOf = ({ query }) => ({ userId: idOrNothing(query.user_id) });

/**
 * The one place a request's identity enters its trace, for every route of a service (`routerOf`
 * puts it first): the user and the session on the server span, and the correlation id and the user
 * in the baggage, for the route and everything it calls, awaited continuations included. It runs
 * after the body is read, since a run names its user there. A route that learns its user later
 * (feedback: the user of the run it scores) says so itself, through the same `withRequestBaggage`.
 */
export function requestContext(userOf?: UserOf): RequestHandler {
  return (request, response, next) => {
    const user = userOf?.(request) ?? {};
    identifyServerSpan(user);
    withRequestBaggage({ correlationId: correlationIdOf(response), ...user }, next);
  };
}
