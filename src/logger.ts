import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import pino from 'pino';
import { KnownSecrets } from './tracing/privacy/known-secrets';
import { shortLineDestination, type LogFormat } from './short-log-lines';
import { redactContent } from './tracing/privacy/redact-text';
import { isSecretKey, REDACTED, redactUrl } from './tracing/privacy/sanitize';

/**
 * Headers whose value never reaches a log line: every secret-looking name (`Authorization`,
 * `X-Auth-Token`, `Api-Key`, ...).
 */
const isRedactedHeader = (name: string) =>
  // Baggage comes from outside and may carry anything; its allowed part is on the spans.
  isSecretKey(name) || name === 'baggage';

function redactHeaders<Headers extends IncomingHttpHeaders | OutgoingHttpHeaders>(
  headers: Headers | undefined,
): Headers | undefined {
  if (!headers) return headers;
  const copy = { ...headers };
  for (const name of Object.keys(copy))
    if (isRedactedHeader(name)) (copy as Record<string, unknown>)[name] = REDACTED;
  return copy;
}

interface SerializedRequest {
  url?: string;
  query?: unknown;
  headers?: IncomingHttpHeaders;
}

/**
 * An error's message, stack (which include its causes', where an upstream's text ends up) and
 * fields pass through the free-text redaction.
 */
function serializeError(error: unknown): unknown {
  return redactContent(error instanceof Error ? pino.stdSerializers.err(error) : error);
}

/**
 * The serializers of the request log (pino-http wraps them around its own, so they get the
 * serialized request and response): the query's secret-looking values and secret-looking headers
 * are redacted, by the same predicate as span attributes.
 */
export const httpLogSerializers = {
  req: (request: SerializedRequest) => {
    if (typeof request.url === 'string') request.url = redactUrl(request.url);
    if (request.query) request.query = redactContent(request.query);
    request.headers = redactHeaders(request.headers);
    return request;
  },
  res: (response: { headers?: OutgoingHttpHeaders }) => {
    response.headers = redactHeaders(response.headers);
    return response;
  },
  err: serializeError,
};

/**
 * Logs as JSON lines, or short lines (`format`); the pino instrumentation adds `trace_id` and
 * `span_id` to each line written inside a span. Credentials in request headers and query strings
 * never reach a log line, error messages are redacted, and the configured secrets (`knownSecrets`)
 * are removed from every line as written, before it is shortened.
 */
export function createLogger(
  level: string,
  name: string,
  knownSecrets: readonly string[] = [],
  format: LogFormat = 'json',
): pino.Logger {
  const scrubber = new KnownSecrets(knownSecrets);
  const options: pino.LoggerOptions = {
    level,
    name,
    serializers: { err: serializeError },
    hooks: scrubber.isEmpty ? {} : { streamWrite: scrubber.scrub },
  };
  return format === 'short' ? pino(options, shortLineDestination()) : pino(options);
}
