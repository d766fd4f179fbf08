import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { AgentMetrics } from '../../src/tracing/agent-metrics';
import type { MetricConventions } from '../../src/tracing/conventions/conventions';

export interface InMemoryMetrics {
  /** What the agent records through. */
  metrics: AgentMetrics;
  /** Collects now and answers every metric recorded so far (cumulative). */
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

/** An `AgentMetrics` on a MeterProvider of its own, read in memory; the workshop's names by default. */
export function installInMemoryMetrics(conventions?: MetricConventions): InMemoryMetrics {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when asked (forceFlush): the interval is longer than any test.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    metrics: new AgentMetrics(provider.getMeter('test'), conventions),
    async collect() {
      exporter.reset();
      await reader.forceFlush();
      return exporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
    },
    shutdown: () => provider.shutdown(),
  };
}

/** The data points of the metric called `name` (none when it was never recorded). */
export function pointsOf(metrics: MetricData[], name: string): DataPoint<unknown>[] {
  return metrics
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[]);
}

/** A histogram's data points, with their count, sum and bucket boundaries. */
export function histogramPointsOf(metrics: MetricData[], name: string): DataPoint<Histogram>[] {
  const metric = metrics.find((each) => each.descriptor.name === name);
  if (metric && metric.dataPointType !== DataPointType.HISTOGRAM)
    throw new Error(`${name} is not a histogram`);
  return (metric?.dataPoints ?? []) as DataPoint<Histogram>[];
}
