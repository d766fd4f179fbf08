import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, HttpError } from './errors';

/** What Node's HTTP parser and timers report, as the JSON errors of every other answer. */
function describe(code: string | undefined): HttpError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpError('headers_too_large', 'The request headers are too large.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new HttpError(
        'payload_too_large',
        'The chunk extensions of the request body are too large.',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpError('client_timeout', 'The request was not received in time.');
    default:
      return new HttpError('bad_request', 'The request is not valid HTTP/1.1.');
  }
}

/**
 * The server's `clientError` listener: a request Node could not parse, or that did not arrive in
 * time, never reaches Express, and Node's own answer is plain text. This one answers JSON, then
 * closes the connection. As Node's default does, it says nothing when the client reset the
 * connection or when an answer has already started on it (writing there would corrupt that one).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  writeAndClose(socket, describe(error.code));
}

/**
 * The server's `connect` listener: this service is no proxy. Node would close the connection
 * without an answer; this one is the JSON error. No request is made of it, so it is not traced.
 */
export function refuseConnect(_request: IncomingMessage, socket: Duplex): void {
  writeAndClose(
    socket,
    new HttpError('method_not_allowed', 'CONNECT is not supported: this service is not a proxy.'),
  );
}

/** The JSON error on a connection Node no longer serves, then the connection closed. */
function writeAndClose(socket: Duplex, answer: HttpError): void {
  const body = JSON.stringify(errorBody(answer));
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
