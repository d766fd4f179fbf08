import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ModelError, type ModelErrorType } from '../models/model-errors';
import { RunError, type RunErrorType } from '../agent/run-budget';
import { SubAgentError } from '../agent/sub-agent-client';
import { LIMITS } from '../limits';

/** An error the client should see as is: an HTTP status, a stable code, and what to do about it. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** The model is our upstream: its failures are gateway errors, never the client's fault. */
const MODEL_ERROR_STATUS: Record<ModelErrorType, number> = {
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

const RUN_ERROR_STATUS: Record<RunErrorType, number> = {
  request_timeout: 504,
  // Nobody reads this answer: the client has gone. Logged and traced as the client's doing.
  request_cancelled: 499,
  // Cut by graceful shutdown (SHUTDOWN_TIMEOUT_MS): another instance can answer it.
  shutdown_timeout: 503,
  model_call_limit: 502,
};

function fromModelError(error: ModelError): HttpError {
  const retryAfter = error.options.retryAfterSeconds;
  const headers: Record<string, string> = retryAfter
    ? { 'Retry-After': String(Math.ceil(retryAfter)) }
    : {};
  return new HttpError(
    MODEL_ERROR_STATUS[error.errorType],
    error.errorType,
    error.message,
    headers,
  );
}

/**
 * The sub-agent is an upstream too: 504 when it is too slow, 502 for everything else it does wrong.
 */
function fromSubAgentError(error: SubAgentError): HttpError {
  return new HttpError(
    error.errorType === 'subagent_timeout' ? 504 : 502,
    error.errorType,
    error.message,
  );
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ModelError) return fromModelError(error);
  if (error instanceof SubAgentError) return fromSubAgentError(error);
  if (error instanceof RunError)
    return new HttpError(RUN_ERROR_STATUS[error.errorType], error.errorType, error.message);
  return new HttpError(
    500,
    'internal_error',
    'Something went wrong on our side. The trace id in X-Trace-Id identifies this request.',
  );
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}

export function sendError(response: Parameters<RequestHandler>[1], error: HttpError): void {
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
  return new HttpError(503, 'overloaded', `${message} Retry after ${retryAfter} s.`, {
    'Retry-After': retryAfter,
  });
}

export function payloadTooLarge(limitBytes: number): HttpError {
  // The rest of the body is not read: the connection is closed after the answer.
  return new HttpError(
    413,
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
        405,
        'method_not_allowed',
        `${request.method} is not supported here; use ${allowed.join(', ')}.`,
        {
          Allow: allowed.join(', '),
        },
      ),
    );
  };
}

export const notFound: RequestHandler = (request, _response, next) => {
  next(new HttpError(404, 'not_found', `No route for ${request.method} ${request.path}.`));
};

export function createErrorHandler(onServerError: (error: unknown) => void): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (response.headersSent) return next(error);
    const httpError = toHttpError(error);
    if (httpError.status >= 500) onServerError(error);
    sendError(response, httpError);
  };
}
