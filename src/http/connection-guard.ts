import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { LIMITS } from '../limits';
import { ERROR_STATUS, HttpError, overloaded, payloadTooLarge, writeError } from './errors';
import { hasUnmetExpectation } from './expect-continue';
import { currentTraceId, TRACE_ID_HEADER } from './trace-id';

/** Why the edge answered 503 `overloaded`: a reason of admission's (src/http/admission/). */
export type EdgeRefusalReason = 'connection_requests_in_flight';

export interface ConnectionGuardOptions {
  /**
   * Requests in flight on one connection (HTTP/1.1 pipelining); past it, 503 overloaded and the
   * connection closed.
   */
  maxRequestsPerConnection: number;
  /** A request that declares a longer body is answered 413 without reading it. */
  maxBodyBytes: number;
  /**
   * Told of each 503 (the metric of admission's refusals, the span), before it is written; the
   * other refusals here are the client's errors, not overload.
   */
  onRefused?: (reason: EdgeRefusalReason, request: IncomingMessage) => void;
}

/**
 * The server's edge, in front of Express: what a connection may ask before any of its body is
 * read. Node parses every pipelined request it receives and starts them all at once, so one
 * connection could start hundreds of runs. Here a request that arrives while its connection
 * already has `maxRequestsPerConnection` in flight is answered 503 at once, and the connection is
 * closed once the answers before it are written: what was pipelined behind it is never started,
 * and the client must open a new connection (RFC 9112 §9.3.2: no pipelining after a POST). The
 * HTTP instrumentation has already started each request's server span, so an answered refusal is
 * traced like any other request; the 503 is counted with admission's refusals, its reason
 * `connection_requests_in_flight` on that span.
 */
export function guardConnections(
  app: RequestListener,
  { maxRequestsPerConnection, maxBodyBytes, onRefused = () => undefined }: ConnectionGuardOptions,
): RequestListener {
  const inFlight = new WeakMap<Socket, number>();
  // Built once: under a flood, capturing a stack trace per refusal is a cost worth not paying.
  const pipelined = overloaded(
    `This connection already has ${maxRequestsPerConnection} request(s) in flight: send one at a time, or open more connections.`,
  );
  const tooLarge = payloadTooLarge(maxBodyBytes);
  return (request, response) => {
    const socket = request.socket;
    const alreadyInFlight = inFlight.get(socket) ?? 0;
    inFlight.set(socket, alreadyInFlight + 1);
    let answered = false;
    const onAnswered = () => {
      if (answered) return;
      answered = true;
      inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
    };
    // 'finish' once the answer is written, 'close' if the connection goes first.
    response.once('finish', onAnswered).once('close', onAnswered);
    closeIfAnsweredBeforeItsBody(request, response);
    recordAbandonment(response);

    if (alreadyInFlight >= maxRequestsPerConnection) {
      // A hook never breaks the answer: here, outside Express, a throw would end the process.
      try {
        onRefused('connection_requests_in_flight', request);
      } catch {
        // Uncounted, still answered.
      }
      return refuse(response, pipelined, { Connection: 'close' });
    }
    if (request.httpVersion === '1.1' && request.headers.host === undefined)
      return refuse(response, noHost);
    if (hasUnmetExpectation(response)) return refuse(response, unmetExpectation);
    if (Number(request.headers['content-length']) > maxBodyBytes) return refuse(response, tooLarge);
    app(request, response);
  };
}

// Node answers these two itself, as plain text and untraced, unless told not to (src/http/listen.ts).
const noHost = new HttpError('bad_request', 'An HTTP/1.1 request must have a Host header.', {
  Connection: 'close',
});
const unmetExpectation = new HttpError(
  'expectation_failed',
  'The only expectation this service meets is Expect: 100-continue.',
  { Connection: 'close' },
);

/**
 * A request whose client goes away before its answer has begun is recorded as 499, the status of
 * `request_cancelled`: its server span, its `http.server.request.duration` point and its request
 * log line said 200, the status a response has before anything sets it, though nothing was
 * answered. Before the http instrumentation's own listener, which reads the status to end the span.
 */
function recordAbandonment(response: ServerResponse): void {
  response.prependOnceListener('close', () => {
    if (!response.headersSent) response.statusCode = ERROR_STATUS.request_cancelled;
  });
}

/**
 * Answers before Express runs, so the `traceIdHeader` middleware never sees this response: the
 * trace id is added here, the one other place that sets `X-Trace-Id`.
 */
function refuse(
  response: ServerResponse,
  error: HttpError,
  headers: Record<string, string> = {},
): void {
  const traceId = currentTraceId();
  writeError(response, error, traceId ? { ...headers, [TRACE_ID_HEADER]: traceId } : headers);
}

/**
 * An answer sent while the client is still sending its body (a 401, a 404, a 413, a 415 ...) would
 * otherwise make Node read the rest of that body, however long, to keep the connection: close it
 * instead, as soon as the answer is written.
 */
function closeIfAnsweredBeforeItsBody(request: IncomingMessage, response: ServerResponse): void {
  // Before Node's own listener, which destroys the connection of an answer that says
  // `Connection: close` as soon as it is written, and reads the rest of an unread body to its end.
  response.prependOnceListener('finish', () => {
    if (!request.complete) closeLingering(request);
  });
}

/**
 * Closes a connection whose client is still sending (RFC 9112 §9.6, "lingering close"). Destroying
 * it at once would make the kernel reset it while data is unread, and a client still writing loses
 * our answer before reading it: measured, a client that kept writing and read 300 ms later got a
 * reset instead of the 413, ten times in ten. So our side is ended (FIN after the answer), and the
 * rest of the body is read and thrown away, at most `LIMITS.lingerMaxBytes` of it: a client that
 * reads only once it has sent its body (many do, and so does one whose event loop is busy) finishes
 * sending, then reads the answer. Past that bound nothing more is read (a body that never ends is
 * not a cost without end); the connection is destroyed when the client closes, or at the latest
 * `LIMITS.closeLingerMs` after the answer. Before, Node read an unread body without bound for those
 * 2 s (1.4 GB on loopback), read none of a body the JSON reader had stopped, and reset every
 * client that had not read by then.
 */
function closeLingering(request: IncomingMessage): void {
  const socket = request.socket;
  socket.destroySoon = () => undefined;
  socket.end();
  let discarded = 0;
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded < LIMITS.lingerMaxBytes) return;
    request.off('data', discard).pause();
  };
  // Also resumes a body the JSON reader paused; and Node, seeing it flow, leaves it to us.
  request.on('data', discard).resume();
  const timer = setTimeout(() => socket.destroy(), LIMITS.closeLingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
