import { describeFileExporters, describeFileSampler } from './config-file/describe-file';
import { describeSampler } from '../sampling/sampler-setting';
import type { TracingConfig } from './tracing-config';

/**
 * What the start-up log line says of tracing: where spans go and which sampler decides, with where
 * that came from, e.g. `parentbased_traceidratio 0.1 (default for NODE_ENV=production)` or
 * `parent_based(root: trace_id_ratio_based 0.1) (OTEL_CONFIG_FILE)`.
 */
export function describeTracing(config: TracingConfig): {
  tracesExporter: string;
  sampler: string;
} {
  const file = config.configFile;
  if (config.sdkDisabled) {
    const why = file?.model.disabled ? 'disabled in OTEL_CONFIG_FILE' : 'OTEL_SDK_DISABLED=true';
    return { tracesExporter: 'none', sampler: `none (${why})` };
  }
  if (file)
    return {
      tracesExporter: describeFileExporters(file.model),
      sampler: `${describeFileSampler(file.model.tracer_provider?.sampler)} (OTEL_CONFIG_FILE)`,
    };
  return { tracesExporter: config.exporters.join(','), sampler: describeSampler(config.sampler) };
}
