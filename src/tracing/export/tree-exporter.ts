import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '../semconv';
import { renderTraceTree, type TreeSpan } from './render-trace-tree';

function toTreeSpan(span: ReadableSpan): TreeSpan {
  const failed = span.status.code === SpanStatusCode.ERROR;
  const errorType = span.attributes[ATTR_ERROR_TYPE];
  return {
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    startTimeMs: hrTimeToMilliseconds(span.startTime),
    durationMs: hrTimeToMilliseconds(span.duration),
    error: failed ? String(errorType ?? (span.status.message || 'error')) : undefined,
    attributes: span.attributes,
  };
}

export interface TreeExporterOptions {
  write?: (text: string) => void;
  /** Traces whose root has not ended yet are kept this long at most. */
  maxPendingTraces?: number;
  /** Print each span's attributes under it (`TRACE_TREE_ATTRIBUTES=true`). */
  showAttributes?: boolean;
}

/**
 * The development exporter: holds each trace's spans until its local root ends, then prints the
 * whole trace as a tree. Used when no OTLP endpoint is configured.
 */
export class TreeExporter implements SpanExporter {
  private readonly pending = new Map<string, TreeSpan[]>();
  private readonly write: (text: string) => void;
  private readonly maxPendingTraces: number;
  private readonly showAttributes: boolean;

  constructor({
    write = (text) => process.stdout.write(text),
    maxPendingTraces = 500,
    showAttributes = false,
  }: TreeExporterOptions = {}) {
    this.write = write;
    this.maxPendingTraces = maxPendingTraces;
    this.showAttributes = showAttributes;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      for (const span of spans) this.add(span);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {
    for (const traceId of [...this.pending.keys()]) this.flush(traceId);
  }

  async forceFlush(): Promise<void> {}

  private add(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    const spans = this.pending.get(traceId) ?? [];
    spans.push(toTreeSpan(span));
    this.pending.set(traceId, spans);
    const isLocalRoot = !span.parentSpanContext || span.parentSpanContext.isRemote;
    if (isLocalRoot) this.flush(traceId);
    while (this.pending.size > this.maxPendingTraces) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }

  private flush(traceId: string): void {
    const spans = this.pending.get(traceId);
    this.pending.delete(traceId);
    if (spans?.length)
      this.write(`${renderTraceTree(spans, { traceId, showAttributes: this.showAttributes })}\n\n`);
  }
}
