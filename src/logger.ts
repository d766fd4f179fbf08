import pino from 'pino';

/**
 * JSON logs; the pino instrumentation adds `trace_id` and `span_id` to each line written inside a
 * span. Credentials in request headers never reach a log line.
 */
export function createLogger(level: string, name: string): pino.Logger {
  return pino({
    level,
    name,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["proxy-authorization"]',
        'req.headers.cookie',
        // Baggage comes from outside and may carry anything; its allowed part is on the spans.
        'req.headers.baggage',
        'req.headers["x-api-key"]',
        'req.headers["x-goog-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[REDACTED]',
    },
  });
}
