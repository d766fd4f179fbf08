import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Requests whose client waits for `100 Continue` before it sends its body. */
const awaitingContinue = new WeakSet<ServerResponse>();
/** Requests that expect something other than `100-continue`: answered 417 by the connection guard. */
const unmetExpectations = new WeakSet<ServerResponse>();

/**
 * Node answers `Expect: 100-continue` with `100 Continue` before any of our code sees the request,
 * so a client without a key, or with a body too large, is invited to send it. With a
 * 'checkContinue' listener Node leaves that answer to us: the request takes the ordinary 'request'
 * path (where the http instrumentation starts its span and shutdown tracks it), and `inviteBody`
 * sends `100 Continue` when a body reader is about to read, after the key, the rate limit, the
 * content type and the declared length have been checked. A request answered without it is closed
 * after its answer (Node does so when the client may or may not send the body).
 */
export function deferContinue(server: Server): Server {
  return server
    .on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
      awaitingContinue.add(response);
      server.emit('request', request, response);
    })
    .on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
      // Node's own answer is a plain-text 417, untraced: this one is the JSON error, traced.
      unmetExpectations.add(response);
      server.emit('request', request, response);
    });
}

/** True when the request expects something other than `100-continue` (RFC 9110 §10.1.1). */
export const hasUnmetExpectation = (response: ServerResponse): boolean =>
  unmetExpectations.has(response);

/** Sends the `100 Continue` the client of this request waits for, if it waits for one. */
export function inviteBody(response: ServerResponse): void {
  if (awaitingContinue.delete(response)) response.writeContinue();
}
