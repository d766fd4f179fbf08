// Pure conversion from a decoded OTLP ExportMetricsServiceRequest to plain, test-friendly data
// points: one per series and export, as proto/otlp-metrics.proto decodes them.
import { toAttributes, type AttributeValue, type DecodedKeyValue } from './decode';

export type MetricTemporality = 'DELTA' | 'CUMULATIVE' | 'UNSPECIFIED';

/** One data point of one metric, as an export carried it. */
export interface ReceivedMetricPoint {
  name: string;
  unit: string;
  type: 'sum' | 'gauge' | 'histogram';
  /** Sums and histograms: `CUMULATIVE` points carry totals, `DELTA` ones what is new. */
  temporality: MetricTemporality;
  attributes: Record<string, AttributeValue>;
  timeUnixNano: bigint;
  /** Sums and gauges. */
  value?: number;
  /** Histograms. */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  serviceName: string;
  scopeName: string;
}

interface DecodedNumberPoint {
  attributes?: DecodedKeyValue[] | null;
  timeUnixNano: string;
  value?: 'asDouble' | 'asInt';
  asDouble?: number;
  asInt?: string;
}

interface DecodedHistogramPoint {
  attributes?: DecodedKeyValue[] | null;
  timeUnixNano: string;
  count: string;
  sum?: number | null;
  bucketCounts?: string[] | null;
  explicitBounds?: number[] | null;
}

interface DecodedMetric {
  name: string;
  unit: string;
  data?: 'gauge' | 'sum' | 'histogram';
  gauge?: { dataPoints?: DecodedNumberPoint[] | null } | null;
  sum?: { dataPoints?: DecodedNumberPoint[] | null; aggregationTemporality: string } | null;
  histogram?: {
    dataPoints?: DecodedHistogramPoint[] | null;
    aggregationTemporality: string;
  } | null;
}

export interface DecodedExportMetricsRequest {
  resourceMetrics?:
    | {
        resource?: { attributes?: DecodedKeyValue[] | null } | null;
        scopeMetrics?:
          { scope?: { name: string } | null; metrics?: DecodedMetric[] | null }[] | null;
      }[]
    | null;
}

const temporalityOf = (decoded: string | number | undefined): MetricTemporality => {
  const name = String(decoded ?? '').replace('AGGREGATION_TEMPORALITY_', '');
  if (name === 'DELTA' || name === '1') return 'DELTA';
  if (name === 'CUMULATIVE' || name === '2') return 'CUMULATIVE';
  return 'UNSPECIFIED';
};

function pointsOf(metric: DecodedMetric): Omit<ReceivedMetricPoint, 'serviceName' | 'scopeName'>[] {
  const common = { name: metric.name, unit: metric.unit };
  const numberPoint = (point: DecodedNumberPoint) => ({
    attributes: toAttributes(point.attributes).values,
    timeUnixNano: BigInt(point.timeUnixNano),
    value: point.value === 'asInt' ? Number(point.asInt) : (point.asDouble ?? 0),
  });
  switch (metric.data) {
    case 'gauge':
      return (metric.gauge?.dataPoints ?? []).map((point) => ({
        ...common,
        type: 'gauge',
        temporality: 'UNSPECIFIED',
        ...numberPoint(point),
      }));
    case 'sum':
      return (metric.sum?.dataPoints ?? []).map((point) => ({
        ...common,
        type: 'sum',
        temporality: temporalityOf(metric.sum?.aggregationTemporality),
        ...numberPoint(point),
      }));
    case 'histogram':
      return (metric.histogram?.dataPoints ?? []).map((point) => ({
        ...common,
        type: 'histogram',
        temporality: temporalityOf(metric.histogram?.aggregationTemporality),
        attributes: toAttributes(point.attributes).values,
        timeUnixNano: BigInt(point.timeUnixNano),
        count: Number(point.count),
        sum: point.sum ?? undefined,
        bucketCounts: (point.bucketCounts ?? []).map(Number),
        explicitBounds: point.explicitBounds ?? [],
      }));
    default:
      return [];
  }
}

export function toReceivedMetricPoints(
  request: DecodedExportMetricsRequest,
): ReceivedMetricPoint[] {
  const received: ReceivedMetricPoint[] = [];
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const serviceName = toAttributes(resourceMetrics.resource?.attributes).values['service.name'];
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scopeName = scopeMetrics.scope?.name ?? '';
      for (const metric of scopeMetrics.metrics ?? [])
        for (const point of pointsOf(metric))
          received.push({
            ...point,
            serviceName: typeof serviceName === 'string' ? serviceName : '',
            scopeName,
          });
    }
  }
  return received;
}
