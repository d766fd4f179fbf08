import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ModelError, type ModelErrorType } from '../models/model-errors';
import { RunError, type RunErrorType } from '../agent/run-budget';
import { SubAgentError, type SubAgentErrorType } from '../agent/sub-agent-client';
import { LIMITS } from '../limits';

/** The service's own answers, before or beside the agent's work. */
const SERVICE_ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_request: 400,
  request_aborted: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  feedback_limit_reached: 409,
  client_timeout: 408,
  expectation_failed: 417,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  overloaded: 503,
  not_ready: 503,
  // The memory store (the database) failed: nothing was done, the request can be sent again.
  memory_unavailable: 503,
  // The store of recent runs (the database) failed: the feedback was not recorded.
  feedback_unavailable: 503,
} as const;

/** The model is our upstream: its failures are gateway errors, never the client's fault. */
export const MODEL_ERROR_STATUS: Record<ModelErrorType, number> = {
  model_timeout: 504,
  model_rate_limited: 503,
  model_unavailable: 502,
  model_rejected_request: 502,
  model_auth_failed: 502,
  model_network_error: 502,
  model_bad_response: 502,
  model_blocked: 502,
  model_malformed_function_call: 502,
};

export const RUN_ERROR_STATUS: Record<RunErrorType, number> = {
  request_timeout: 504,
  // Nobody reads this answer: the client has gone. Logged and traced as the client's doing.
  request_cancelled: 499,
  // Cut by graceful shutdown (SHUTDOWN_TIMEOUT_MS): another instance can answer it.
  shutdown_timeout: 503,
  model_call_limit: 502,
};

/**
 * The sub-agent is an upstream too: 504 when it is too slow, 503 when it sheds load (its
 * `Retry-After` passed on), 502 for everything else.
 */
export const SUB_AGENT_ERROR_STATUS: Record<SubAgentErrorType, number> = {
  subagent_timeout: 504,
  subagent_overloaded: 503,
  subagent_unreachable: 502,
  subagent_failed: 502,
  subagent_bad_response: 502,
};

/**
 * Every `code` the API answers, with its one status: the list the OpenAPI document is built from,
 * so an error cannot be answered without being documented.
 */
export const ERROR_STATUS = {
  ...SERVICE_ERROR_STATUS,
  ...MODEL_ERROR_STATUS,
  ...RUN_ERROR_STATUS,
  ...SUB_AGENT_ERROR_STATUS,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The codes of one of the tables above, for a route to say which of them it answers. */
export const codesOf = <Code extends ErrorCode>(statuses: Record<Code, number>): Code[] =>
  Object.keys(statuses) as Code[];

/** An error the client should see as is: a stable code, its status, and what to do about it. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

function fromModelError(error: ModelError): HttpError {
  const retryAfter = error.options.retryAfterSeconds;
  const headers: Record<string, string> = retryAfter
    ? { 'Retry-After': String(Math.ceil(retryAfter)) }
    : {};
  return new HttpError(error.errorType, error.message, headers);
}

function fromSubAgentError(error: SubAgentError): HttpError {
  if (error.errorType !== 'subagent_overloaded')
    return new HttpError(error.errorType, error.message);
  const retryAfter = error.options.retryAfter ?? String(LIMITS.overloadRetryAfterSeconds);
  return new HttpError(error.errorType, error.message, { 'Retry-After': retryAfter });
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ModelError) return fromModelError(error);
  if (error instanceof SubAgentError) return fromSubAgentError(error);
  if (error instanceof RunError) return new HttpError(error.errorType, error.message);
  return new HttpError(
    'internal_error',
    'Something went wrong on our side. The trace id in X-Trace-Id identifies this request.',
  );
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}

/**
 * What a handler that failed midway may have said about the answer it meant to send (a file's type,
 * range, date): none of it describes the error that replaces it.
 */
const REPRESENTATION_HEADERS = [
  'Content-Type',
  'Content-Range',
  'Content-Disposition',
  'Content-Encoding',
  'Content-Language',
  'Last-Modified',
  'ETag',
  'Accept-Ranges',
];

export function sendError(response: Parameters<RequestHandler>[1], error: HttpError): void {
  for (const name of REPRESENTATION_HEADERS) response.removeHeader(name);
  response.set(error.headers).status(error.status).json(errorBody(error));
}

/**
 * The same answer from outside Express (the server's edge, before any middleware), on a bare Node
 * response.
 */
export function writeError(
  response: ServerResponse,
  error: HttpError,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(errorBody(error));
  response.writeHead(error.status, {
    ...headers,
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/** 503 overloaded: refused at once, before any work, rather than queued. */
export function overloaded(message: string): HttpError {
  const retryAfter = String(LIMITS.overloadRetryAfterSeconds);
  return new HttpError('overloaded', `${message} Retry after ${retryAfter} s.`, {
    'Retry-After': retryAfter,
  });
}

export function payloadTooLarge(limitBytes: number): HttpError {
  // The rest of the body is not read: the connection is closed after the answer.
  return new HttpError(
    'payload_too_large',
    `The request body is larger than the limit of ${limitBytes} bytes.`,
    {
      Connection: 'close',
    },
  );
}

/** For a known path asked with the wrong method: 405 with the methods it does take. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (request, _response, next) => {
    next(
      new HttpError(
        'method_not_allowed',
        `${request.method} is not supported here; use ${allowed.join(', ')}.`,
        {
          Allow: allowed.join(', '),
        },
      ),
    );
  };
}

/** The path as the message quotes it: a client may send kilobytes of it. */
const MAX_QUOTED_PATH = 200;

export const notFound: RequestHandler = (request, _response, next) => {
  const path =
    request.path.length > MAX_QUOTED_PATH
      ? `${request.path.slice(0, MAX_QUOTED_PATH)}… (${request.path.length} characters)`
      : request.path;
  next(new HttpError('not_found', `No route for ${request.method} ${path}.`));
};

export function createErrorHandler(onServerError: (error: unknown) => void): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (response.headersSent) return next(error);
    const httpError = toHttpError(error);
    if (httpError.status >= 500) onServerError(error);
    sendError(response, httpError);
  };
}
