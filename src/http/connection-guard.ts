import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { overloaded, payloadTooLarge, writeError, type HttpError } from './errors';
import { currentTraceId, TRACE_ID_HEADER } from './trace-id';

export interface ConnectionGuardOptions {
  /** Requests in flight on one connection (HTTP/1.1 pipelining); past it, 503 overloaded. */
  maxRequestsPerConnection: number;
  /** A request that declares a longer body is answered 413 without reading it. */
  maxBodyBytes: number;
}

/**
 * The server's edge, in front of Express: what a connection may ask before any of its body is
 * read. Node parses every pipelined request it receives and starts them all at once, so one
 * connection could start hundreds of runs; here a request that arrives while its connection
 * already has `maxRequestsPerConnection` in flight is answered 503 at once (Node sends it after
 * the answers before it). Those answers wait in the connection's output, and Node stops reading a
 * connection whose output is full, so a flood of pipelined requests ends up waiting in the
 * client's socket, not in this process. The HTTP instrumentation has already started the
 * request's server span, so a refused request is traced like any other.
 */
export function guardConnections(
  app: RequestListener,
  { maxRequestsPerConnection, maxBodyBytes }: ConnectionGuardOptions,
): RequestListener {
  const inFlight = new WeakMap<Socket, number>();
  return (request, response) => {
    const socket = request.socket;
    const alreadyInFlight = inFlight.get(socket) ?? 0;
    inFlight.set(socket, alreadyInFlight + 1);
    response.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
    closeIfAnsweredBeforeItsBody(request, response);

    if (alreadyInFlight >= maxRequestsPerConnection)
      return refuse(response, overloaded(`This connection already has ${alreadyInFlight} request(s) in flight; do not pipeline.`));
    if (Number(request.headers['content-length']) > maxBodyBytes) return refuse(response, payloadTooLarge(maxBodyBytes));
    app(request, response);
  };
}

function refuse(response: ServerResponse, error: HttpError): void {
  const traceId = currentTraceId();
  writeError(response, error, traceId ? { [TRACE_ID_HEADER]: traceId } : {});
}

/**
 * An answer sent while the client is still sending its body (a 401, a 404, a 415 ...) would
 * otherwise make Node read the rest of that body, however long, to keep the connection: close it
 * instead, as soon as the answer is written.
 */
function closeIfAnsweredBeforeItsBody(request: IncomingMessage, response: ServerResponse): void {
  response.once('finish', () => {
    if (!request.complete) request.socket.destroySoon();
  });
}
