import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '../semconv';
import { isHousekeepingTrace } from './housekeeping';
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
    links: span.links.map(({ context }) => ({ traceId: context.traceId, spanId: context.spanId })),
  };
}

export interface TreeExporterOptions {
  write?: (text: string) => void;
  /** Traces whose root has not ended yet are kept this long at most. */
  maxPendingTraces?: number;
  /** Print each span's attributes under it (`TRACE_TREE_ATTRIBUTES=true`). */
  showAttributes?: boolean;
  /** Print the probes' and the MCP handshake's traces too (`LOG_LEVEL=debug`). */
  showHousekeeping?: boolean;
}

/**
 * The development exporter: holds each trace's spans until its local root ends, then prints the
 * whole trace as a tree. Used when no OTLP endpoint is configured. Housekeeping traffic (probes,
 * the MCP handshake: housekeeping.ts) is left out unless asked for, and counted; at shutdown it
 * says how many trees it printed, so that a run's trees can be counted without scrolling.
 */
export class TreeExporter implements SpanExporter {
  private readonly pending = new Map<string, TreeSpan[]>();
  private readonly write: (text: string) => void;
  private readonly maxPendingTraces: number;
  private readonly showAttributes: boolean;
  private readonly showHousekeeping: boolean;
  private printed = 0;
  private hidden = 0;

  constructor({
    write = (text) => process.stdout.write(text),
    maxPendingTraces = 500,
    showAttributes = false,
    showHousekeeping = false,
  }: TreeExporterOptions = {}) {
    this.write = write;
    this.maxPendingTraces = maxPendingTraces;
    this.showAttributes = showAttributes;
    this.showHousekeeping = showHousekeeping;
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
    this.write(`${summary(this.printed, this.hidden)}\n`);
  }

  async forceFlush(): Promise<void> {}

  private add(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    const spans = this.pending.get(traceId) ?? [];
    spans.push(toTreeSpan(span));
    this.pending.set(traceId, spans);
    const isLocalRoot = !span.parentSpanContext || span.parentSpanContext.isRemote;
    if (isLocalRoot) {
      if (!this.showHousekeeping && isHousekeepingTrace(span, spans.length)) {
        this.pending.delete(traceId);
        this.hidden += 1;
      } else this.flush(traceId);
    }
    while (this.pending.size > this.maxPendingTraces) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }

  private flush(traceId: string): void {
    const spans = this.pending.get(traceId);
    this.pending.delete(traceId);
    if (!spans?.length) return;
    this.printed += 1;
    this.write(`${renderTraceTree(spans, { traceId, showAttributes: this.showAttributes })}\n\n`);
  }
}

/** e.g. `12 trace trees printed (3 hidden: probes and the MCP handshake; LOG_LEVEL=debug prints them)`. */
function summary(printed: number, hidden: number): string {
  const trees = `${printed} trace ${printed === 1 ? 'tree' : 'trees'} printed`;
  return hidden
    ? `${trees} (${hidden} hidden: probes and the MCP handshake; LOG_LEVEL=debug prints them)`
    : trees;
}
