import { metrics } from '@opentelemetry/api';
import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type IMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { RateLimitedLog } from '../setup/exporter-log';
import { createOtlpMetricExporter } from './otlp-metric-exporter';
import { createPrometheusReader } from './prometheus-reader';
import { RecoveringMetricExporter } from './recovering-exporter';
import { METRIC_SPAN_FILTER_DROPPED_SPANS } from '../semconv';
import type { TracingConfig } from '../setup/tracing-config';

/**
 * The metric readers `OTEL_METRICS_EXPORTER` names: Prometheus (a pull endpoint at
 * `http://<host>:<port>/metrics`), OTLP in the protocol the traces use unless
 * `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL` says otherwise (pushed every `OTEL_METRIC_EXPORT_INTERVAL`,
 * through the recovering exporter, whose failure lines `log` rate-limits), or the console. None
 * with `none`: the meter is then a no-op.
 */
export function createMetricReaders(config: TracingConfig, log: RateLimitedLog): IMetricReader[] {
  return config.metricsExporters.map((name) => {
    if (name === 'prometheus') return createPrometheusReader(config.prometheus, log);
    const exporter =
      name === 'otlp'
        ? new RecoveringMetricExporter({
            createExporter: () =>
              createOtlpMetricExporter(config.otlpMetricsProtocol, { url: config.otlpMetricsUrl }),
            log,
          })
        : new ConsoleMetricExporter();
    return new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: config.metricExport.intervalMs,
      exportTimeoutMillis: config.metricExport.timeoutMs,
    });
  });
}

/** Anything that counts the spans it left out, such as the minimum-duration filter. */
export interface DroppedSpanCount {
  readonly droppedSpans: number;
}

/**
 * `span_filter.dropped_spans`: read from the filters when metrics are collected, so the filter
 * itself pays nothing per span for it.
 */
export function observeDroppedSpans(filters: readonly DroppedSpanCount[]): void {
  if (!filters.length) return;
  metrics
    .getMeter('traced-agent')
    .createObservableCounter(METRIC_SPAN_FILTER_DROPPED_SPANS, {
      unit: '{span}',
      description: 'Spans the minimum-duration filter (SPAN_MIN_DURATION_MS) left out.',
    })
    .addCallback((result) =>
      result.observe(filters.reduce((sum, filter) => sum + filter.droppedSpans, 0)),
    );
}
