import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { KnownSecrets } from '../privacy/known-secrets';
import { redactQuery, redactUrl } from '../privacy/sanitize';

/**
 * Where the HTTP instrumentations (server and client) record a query, and how to redact it there.
 * A list, not an object: it is walked on every span, and a list is walked without allocating.
 */
const URL_ATTRIBUTES: readonly (readonly [string, (value: string) => string])[] = [
  ['url.query', redactQuery],
  ['url.full', redactUrl],
];

/**
 * The last word on what any span says, ours or an instrumentation's, just before it ends (so
 * before any exporter sees it):
 * - the values of secret-looking query parameters (`?api_key=…&token=…`) become `REDACTED` in
 *   `url.query` and `url.full`; the http instrumentation only knows a fixed list of names;
 * - the configured secrets (model key, sub-agent key, API keys) are removed from every string:
 *   attributes, event attributes (an exception message echoing our key), status and name.
 * It never throws: a span it could not clean is still exported as it was cleaned so far.
 * Secrets pasted into captured content (prompts, tool results) are redacted by pattern where the
 * content is recorded (`recorders/span-recorder.ts`), the one place that knows which attributes
 * hold free text: this processor complements that, it does not repeat it.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  constructor(private readonly knownSecrets = new KnownSecrets([])) {}

  onStart(): void {}

  onEnding(span: Span): void {
    try {
      for (const [key, redact] of URL_ATTRIBUTES) {
        const value = span.attributes[key];
        if (typeof value !== 'string') continue;
        const redacted = redact(value);
        if (redacted !== value) span.setAttribute(key, redacted);
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
    const name = scrub(span.name);
    if (name !== span.name) span.updateName(name);
    const attributes = this.scrubbed(span.attributes);
    if (attributes) span.setAttributes(attributes);
    for (const event of span.events) {
      const eventAttributes = event.attributes && this.scrubbed(event.attributes);
      if (eventAttributes) event.attributes = { ...event.attributes, ...eventAttributes };
    }
    if (span.status.code === SpanStatusCode.ERROR && span.status.message) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: scrub(span.status.message) });
    }
  }

  /** Only the attributes that held a secret, scrubbed; undefined when none did (nearly always). */
  private scrubbed(attributes: Attributes): Attributes | undefined {
    const { scrub } = this.knownSecrets;
    let changed: Attributes | undefined;
    // for...in, not Object.entries: this runs for every attribute of every span.
    for (const key in attributes) {
      const value = attributes[key];
      let clean: typeof value = value;
      if (typeof value === 'string') clean = scrub(value);
      else if (
        Array.isArray(value) &&
        value.some((item) => typeof item === 'string' && scrub(item) !== item)
      ) {
        clean = value.map((item) =>
          typeof item === 'string' ? scrub(item) : item,
        ) as typeof value;
      }
      if (clean !== value) (changed ??= {})[key] = clean;
    }
    return changed;
  }
}
