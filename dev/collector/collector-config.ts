import { parse } from 'yaml';

/** What the tests read of an OpenTelemetry Collector configuration. */
export interface CollectorConfig {
  receivers?: Record<string, unknown>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  service: {
    extensions?: string[];
    pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }>;
  };
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps merged key by key, anything else (a list, a value) replaced: the collector's rule. */
function merge(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override))
    merged[key] = key in base ? merge(base[key], value) : value;
  return merged;
}

/**
 * One configuration from several files, as `otelcol --config=a.yaml --config=b.yaml` merges them:
 * later files win, maps merge, lists are replaced.
 */
export function mergeCollectorConfigs(...yamlTexts: string[]): CollectorConfig {
  return yamlTexts.map((text) => parse(text) as unknown).reduce(merge, {}) as CollectorConfig;
}

/**
 * Every component a pipeline (or the service's extensions) names that the configuration does not
 * define: the collector refuses to start on any of them. A component's id is `type[/name]`.
 */
export function undefinedComponents(config: CollectorConfig): string[] {
  const defined = (section: Record<string, unknown> | undefined) => Object.keys(section ?? {});
  const missing: string[] = [];
  const check = (kind: string, ids: readonly string[] = [], available: string[]) => {
    for (const id of ids) if (!available.includes(id)) missing.push(`${kind} ${id}`);
  };
  const connectors = defined(config.connectors);
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    check(`${name}: receiver`, pipeline.receivers, [...defined(config.receivers), ...connectors]);
    check(`${name}: processor`, pipeline.processors, defined(config.processors));
    check(`${name}: exporter`, pipeline.exporters, [...defined(config.exporters), ...connectors]);
  }
  check('service: extension', config.service.extensions, defined(config.extensions));
  return missing;
}
