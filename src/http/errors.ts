import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ModelError, type ModelErrorType } from '../models/model-errors';
import { RunError, type RunErrorType } from '../agent/run-budget';
import { SubAgentError } from '../agent/sub-agent-client';

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

/** body-parser's errors carry `type` and `status`; they are the client's fault, so they get a 4xx. */
function fromBodyParser(error: unknown): HttpError | undefined {
  const { type, status, limit } = (error ?? {}) as { type?: string; status?: number; limit?: number };
  switch (type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `The request body is larger than the limit of ${limit ?? 'the server'} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', 'Send the body as UTF-8 JSON.');
    case 'request.aborted':
      return new HttpError(400, 'request_aborted', 'The client closed the request before the body was read.');
    default:
      return status && status >= 400 && status < 500 ? new HttpError(status, 'bad_request', 'The request could not be read.') : undefined;
  }
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
  const headers: Record<string, string> = retryAfter ? { 'Retry-After': String(Math.ceil(retryAfter)) } : {};
  return new HttpError(MODEL_ERROR_STATUS[error.errorType], error.errorType, error.message, headers);
}

/** The sub-agent is an upstream too: 504 when it is too slow, 502 for everything else it does wrong. */
function fromSubAgentError(error: SubAgentError): HttpError {
  return new HttpError(error.errorType === 'subagent_timeout' ? 504 : 502, error.errorType, error.message);
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ModelError) return fromModelError(error);
  if (error instanceof SubAgentError) return fromSubAgentError(error);
  if (error instanceof RunError) return new HttpError(RUN_ERROR_STATUS[error.errorType], error.errorType, error.message);
  return (
    fromBodyParser(error) ??
    new HttpError(500, 'internal_error', 'Something went wrong on our side. The trace id in X-Trace-Id identifies this request.')
  );
}

export function sendError(response: Parameters<RequestHandler>[1], error: HttpError): void {
  response
    .set(error.headers)
    .status(error.status)
    .json({ error: { code: error.code, message: error.message } } satisfies ErrorBody);
}

/** For a known path asked with the wrong method: 405 with the methods it does take. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (request, _response, next) => {
    next(
      new HttpError(405, 'method_not_allowed', `${request.method} is not supported here; use ${allowed.join(', ')}.`, {
        Allow: allowed.join(', '),
      }),
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
