import { context, trace, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { AgentMetrics, type Outcome } from '../agent-metrics';
import {
  BAGGAGE_CONTENT_CAPTURE,
  CONTENT_CAPTURE_OFF,
  isContentCaptureOffUpstream,
  withBaggage,
} from '../propagation/baggage';
import type { GenAiConventions, SpanStart } from '../conventions/conventions';
import { WORKSHOP_CONVENTIONS } from '../conventions/workshop';
import { redactContent } from '../privacy/redact-text';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH, sanitizeAttributes } from '../privacy/sanitize';
import { errorTypeOf, withSpan, type FailureOptions } from '../with-span';

export interface SpanRecorderOptions {
  /**
   * Record task text, prompts, model output, tool arguments and results. Off by default: they may
   * hold personal data. On is only this service's half of the decision: see `capturesContent`.
   */
  captureContent?: boolean;
  /** Upper bound for any string attribute we record. */
  maxAttributeLength?: number;
  tracer?: Tracer;
  /** Where durations and outcomes are recorded; by default on the global MeterProvider. */
  metrics?: AgentMetrics;
  /** The names spans and metrics carry (conventions/conventions.ts); the workshop's by default. */
  conventions?: GenAiConventions;
}

/**
 * What a recorder writes on a span: attributes, and content, which is recorded only when content
 * capture is on for the request, and redacted.
 */
export interface Recorded {
  attributes?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

/** A span to start: the naming table's start, and links where the work has another origin. */
export interface RecordedSpanStart extends SpanStart {
  links?: Link[];
}

/**
 * What every recorder shares: the tracer, the metrics, the naming table, and the one way a
 * recorder changes a span. The span is always named (never "whatever span is active", which moves
 * as the work nests), attributes and events are sanitized (`sanitizeAttributes`), and nothing is
 * computed for a span that is not recorded (sampled out).
 */
export class SpanRecorder {
  readonly metrics: AgentMetrics;
  readonly conventions: GenAiConventions;
  readonly tracer: Tracer;
  private readonly captureContent: boolean;
  private readonly maxAttributeLength: number;

  constructor({
    captureContent = false,
    maxAttributeLength = DEFAULT_MAX_ATTRIBUTE_LENGTH,
    tracer,
    metrics,
    conventions = WORKSHOP_CONVENTIONS,
  }: SpanRecorderOptions = {}) {
    this.captureContent = captureContent;
    this.conventions = conventions;
    this.metrics = metrics ?? new AgentMetrics(undefined, conventions.metrics);
    this.maxAttributeLength = maxAttributeLength;
    this.tracer = tracer ?? trace.getTracer('traced-agent');
  }

  /**
   * Whether content is recorded for the current request: only when this service's setting is on
   * and no service upstream said it records none. Capture can get stricter downstream, never laxer.
   */
  capturesContent(): boolean {
    return this.captureContent && !isContentCaptureOffUpstream(context.active());
  }

  /**
   * Runs `work` as the active span (`withSpan`). The start attributes (those a sampler may need, a
   * few short strings) go with the span's creation; `recorded` is computed and sanitized only when
   * the span is recorded: with 10% sampling, nine requests in ten pay nothing for it.
   */
  run<T>(
    { name, kind, attributes, links }: RecordedSpanStart,
    recorded: () => Recorded,
    work: (span: Span) => Promise<T> | T,
    failure: FailureOptions = {},
  ): Promise<T> {
    const options = { kind, attributes: this.sanitized(attributes), ...(links && { links }) };
    return withSpan(
      this.tracer,
      name,
      options,
      (span) => {
        if (span.isRecording()) this.set(span, recorded());
        return work(span);
      },
      failure,
    );
  }

  /** Attributes and content on `span`, once the work has learnt them. */
  set(span: Span, recorded: Recorded): void {
    if (span.isRecording()) span.setAttributes(this.sanitized(this.attributesOf(recorded)));
  }

  /** An event on `span`, its attributes and content as for `set`. */
  event(span: Span, name: string, recorded: Recorded = {}): void {
    if (span.isRecording()) span.addEvent(name, this.sanitized(this.attributesOf(recorded)));
  }

  /** Runs `work` so that the calls it makes to other services carry our decision when it is off. */
  passingContentDecision<A, T>(work: (arg: A) => T): (arg: A) => T {
    return (arg) =>
      this.capturesContent()
        ? work(arg)
        : withBaggage({ [BAGGAGE_CONTENT_CAPTURE]: CONTENT_CAPTURE_OFF }, () => work(arg));
  }

  /**
   * The recorders' one content path. Content is free text: secrets pasted into it (`password=…`,
   * bearer tokens, API keys) are redacted here, by pattern, because only here is it known which
   * attributes hold free text. The `RedactingSpanProcessor` does something else, on every span,
   * instrumentations' included: it removes the configured secrets verbatim and redacts secret
   * query parameters in URLs. Neither replaces the other.
   */
  private attributesOf({ attributes, content }: Recorded): Record<string, unknown> {
    if (!content || !this.capturesContent()) return attributes ?? {};
    const redacted: Record<string, unknown> = { ...attributes };
    for (const [key, value] of Object.entries(content))
      if (value !== undefined) redacted[key] = redactContent(value);
    return redacted;
  }

  private sanitized(attributes: Record<string, unknown>) {
    return sanitizeAttributes(attributes, this.maxAttributeLength);
  }
}

/**
 * Runs `work`, then reports its duration in seconds and how it ended, whether it returned or threw.
 */
export async function measured<T>(
  work: () => Promise<T>,
  report: (durationSeconds: number, outcome: Outcome, result?: T) => void,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    report((performance.now() - started) / 1000, {}, result);
    return result;
  } catch (error) {
    report((performance.now() - started) / 1000, { errorType: errorTypeOf(error) });
    throw error;
  }
}
