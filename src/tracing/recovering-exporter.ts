import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { RateLimitedLog } from './exporter-log';

export interface ExportCounters {
  exportedSpans: number;
  failedSpans: number;
  failedBatches: number;
}

export interface RecoveringExporterOptions {
  createExporter: () => SpanExporter;
  log?: RateLimitedLog;
  now?: () => number;
}

/**
 * Wraps the OTLP exporter (any protocol) so that a collector that goes away costs spans, never the service:
 *  - a failed batch is counted and reported at most once in a while, not per span;
 *  - after a failure the exporter is replaced by a new one, whose gRPC channel connects on its
 *    first export: the old channel would wait out its reconnect backoff (up to two minutes) before
 *    noticing that the collector is back, and drop every batch meanwhile. So while the endpoint is
 *    down each batch makes one connection attempt, and the first batch after it is back goes
 *    through (over HTTP, a fresh exporter costs nothing and drops no kept-alive socket that went
 *    stale);
 *  - recovery is reported with what was lost.
 * The batch span processor in front of it keeps the queue bounded (it drops and counts when full).
 */
export class RecoveringExporter implements SpanExporter {
  readonly counters: ExportCounters = { exportedSpans: 0, failedSpans: 0, failedBatches: 0 };
  private current: SpanExporter;
  private failingSince: number | undefined;
  private readonly log: RateLimitedLog;
  private readonly now: () => number;

  constructor(private readonly options: RecoveringExporterOptions) {
    this.current = options.createExporter();
    this.log = options.log ?? new RateLimitedLog();
    this.now = options.now ?? Date.now;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const exporter = this.current;
    try {
      exporter.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) this.onSuccess(spans.length);
        else this.onFailure(exporter, spans.length, result.error);
        resultCallback(result);
      });
    } catch (error) {
      this.onFailure(exporter, spans.length, error as Error);
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  forceFlush(): Promise<void> {
    return this.current.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.current.shutdown();
  }

  private onSuccess(count: number): void {
    this.counters.exportedSpans += count;
    if (this.failingSince === undefined) return;
    this.log.log('info', 'export-recovered', 'Span export recovered', {
      down_ms: this.now() - this.failingSince,
      failed_spans_total: this.counters.failedSpans,
      failed_batches_total: this.counters.failedBatches,
    });
    this.failingSince = undefined;
  }

  private onFailure(exporter: SpanExporter, count: number, error: Error | undefined): void {
    this.counters.failedSpans += count;
    this.counters.failedBatches += 1;
    this.failingSince ??= this.now();
    this.log.log(
      'warn',
      'export-failed',
      'Span export is failing; spans are dropped until the endpoint answers again',
      {
        error: error?.message ?? 'unknown',
        failed_spans_total: this.counters.failedSpans,
      },
    );
    // Several batches may fail on the same exporter; it is replaced once.
    if (exporter !== this.current) return;
    this.current = this.options.createExporter();
    exporter.shutdown().catch(() => {});
  }
}
