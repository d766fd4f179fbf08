import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { RateLimitedLog } from '../setup/exporter-log';

/** What the OTLP exporters of every signal and protocol have in common. */
interface BatchExporter<Batch> {
  export(batch: Batch, resultCallback: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface ExportCounters {
  exported: number;
  failed: number;
  failedBatches: number;
}

/** How the log lines name what is exported, and what a failure costs. */
interface Signal {
  noun: 'span' | 'metric';
  whileFailing: string;
}

export interface RecoveringExporterOptions<Exporter> {
  createExporter: () => Exporter;
  log?: RateLimitedLog;
  now?: () => number;
}

/**
 * Wraps an OTLP exporter (any protocol) so that a collector that goes away costs telemetry, never
 * the service:
 *  - a failed batch is counted and reported at most once in a while, not per span;
 *  - after a failure the exporter is replaced by a new one, whose gRPC channel connects on its
 *    first export: the old channel would wait out its reconnect backoff (up to two minutes) before
 *    noticing that the collector is back, and drop every batch meanwhile. So while the endpoint is
 *    down each batch makes one connection attempt, and the first batch after it is back goes
 *    through (over HTTP, a fresh exporter costs nothing and drops no kept-alive socket that went
 *    stale);
 *  - recovery is reported with what was lost.
 * The processor or reader in front of it keeps the queue bounded (the batch span processor drops
 * and counts when full; the metric reader exports one collection at a time).
 */
abstract class RecoveringExporter<Batch, Exporter extends BatchExporter<Batch>> {
  readonly counters: ExportCounters = { exported: 0, failed: 0, failedBatches: 0 };
  protected current: Exporter;
  private failingSince: number | undefined;
  private readonly log: RateLimitedLog;
  private readonly now: () => number;

  constructor(
    private readonly signal: Signal,
    private readonly options: RecoveringExporterOptions<Exporter>,
  ) {
    this.current = options.createExporter();
    this.log = options.log ?? new RateLimitedLog();
    this.now = options.now ?? Date.now;
  }

  /** How many items (spans, metric streams) a batch holds, for the counts in the log lines. */
  protected abstract sizeOf(batch: Batch): number;

  export(batch: Batch, resultCallback: (result: ExportResult) => void): void {
    const exporter = this.current;
    const size = this.sizeOf(batch);
    try {
      exporter.export(batch, (result) => {
        if (result.code === ExportResultCode.SUCCESS) this.onSuccess(size);
        else this.onFailure(exporter, size, result.error);
        resultCallback(result);
      });
    } catch (error) {
      this.onFailure(exporter, size, error as Error);
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
    this.counters.exported += count;
    if (this.failingSince === undefined) return;
    const { noun } = this.signal;
    this.log.log('info', `${noun}-export-recovered`, `${capitalized(noun)} export recovered`, {
      down_ms: this.now() - this.failingSince,
      [`failed_${noun}s_total`]: this.counters.failed,
      failed_batches_total: this.counters.failedBatches,
    });
    this.failingSince = undefined;
  }

  private onFailure(exporter: Exporter, count: number, error: Error | undefined): void {
    this.counters.failed += count;
    this.counters.failedBatches += 1;
    this.failingSince ??= this.now();
    const { noun, whileFailing } = this.signal;
    this.log.log(
      'warn',
      `${noun}-export-failed`,
      `${capitalized(noun)} export is failing; ${whileFailing}`,
      { error: error?.message ?? 'unknown', [`failed_${noun}s_total`]: this.counters.failed },
    );
    // Several batches may fail on the same exporter; it is replaced once.
    if (exporter !== this.current) return;
    this.current = this.options.createExporter();
    exporter.shutdown().catch(() => {});
  }
}

const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** The recovering exporter of spans, behind the batch span processor. */
export class RecoveringSpanExporter
  extends RecoveringExporter<ReadableSpan[], SpanExporter>
  implements SpanExporter
{
  constructor(options: RecoveringExporterOptions<SpanExporter>) {
    super(
      { noun: 'span', whileFailing: 'spans are dropped until the endpoint answers again' },
      options,
    );
  }

  protected sizeOf(spans: ReadableSpan[]): number {
    return spans.length;
  }
}

/**
 * The recovering exporter of metrics, behind the periodic reader. With cumulative temporality (the
 * default) a failed export loses nothing: the next one carries the totals.
 */
export class RecoveringMetricExporter
  extends RecoveringExporter<ResourceMetrics, PushMetricExporter>
  implements PushMetricExporter
{
  constructor(options: RecoveringExporterOptions<PushMetricExporter>) {
    super(
      {
        noun: 'metric',
        whileFailing:
          'each export interval tries again (cumulative totals catch up, delta points are lost)',
      },
      options,
    );
  }

  /**
   * The wrapped exporter's choices, which the reader asks for once: the temporality
   * (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`) and the default aggregation.
   */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.current.selectAggregationTemporality!(instrumentType);
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.current.selectAggregation!(instrumentType);
  }

  protected sizeOf(metrics: ResourceMetrics): number {
    return metrics.scopeMetrics.reduce((sum, scope) => sum + scope.metrics.length, 0);
  }
}
