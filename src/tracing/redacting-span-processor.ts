import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { KnownSecrets } from './known-secrets';
import { redactQuery, redactUrl } from './sanitize';

/** Where the HTTP instrumentations (server and client) record a query, and how to redact it there. */
const URL_ATTRIBUTES = { 'url.query': redactQuery, 'url.full': redactUrl } as const;

/**
 * The last word on what any span says, ours or an instrumentation's, just before it ends (so
 * before any exporter sees it):
 * - the values of secret-looking query parameters (`?api_key=…&token=…`) become `REDACTED` in
 *   `url.query` and `url.full`; the http instrumentation only knows a fixed list of names;
 * - the configured secrets (model key, sub-agent key, API keys) are removed from every string:
 *   attributes, event attributes (an exception message echoing our key), status and name.
 * It never throws: a span it could not clean is still exported as it was cleaned so far.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly knownSecrets = new KnownSecrets([])) {}

  onStart(): void {}

  onEnding(span: Span): void {
    try {
      for (const [key, redact] of Object.entries(URL_ATTRIBUTES)) {
        const value = span.attributes[key];
        if (typeof value === 'string') span.setAttribute(key, redact(value));
      }
      if (!this.knownSecrets.isEmpty) this.scrubKnownSecrets(span);
    } catch {
      // Redaction must never break a request; what could be cleaned has been.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}

  private scrubKnownSecrets(span: Span): void {
    const { scrub } = this.knownSecrets;
    span.updateName(scrub(span.name));
    span.setAttributes(this.scrubbed(span.attributes));
    for (const event of span.events) if (event.attributes) event.attributes = this.scrubbed(event.attributes);
    if (span.status.code === SpanStatusCode.ERROR && span.status.message) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: scrub(span.status.message) });
    }
  }

  /** The string values (and strings in arrays) that held a secret, scrubbed; nothing else. */
  private scrubbed(attributes: Attributes): Attributes {
    const { scrub } = this.knownSecrets;
    const changed: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (typeof value === 'string') changed[key] = scrub(value);
      else if (Array.isArray(value)) changed[key] = value.map((item) => (typeof item === 'string' ? scrub(item) : item)) as typeof value;
      else changed[key] = value;
    }
    return changed;
  }
}
