import { DEFAULT_ADAPTIVE_TARGET_PER_SECOND } from '../../sampling/sampler-setting';
import {
  ADAPTIVE_SAMPLER,
  DEFAULT_RATIO,
  type FileModel,
  type SamplerModel,
} from './config-file-schema';

/**
 * For the start-up log, in the file's words, e.g.
 * `parent_based(root: trace_id_ratio_based 0.1)`.
 */
export function describeFileSampler(model: SamplerModel | null | undefined): string {
  if (!model) return 'parent_based(root: always_on)';
  if (model.always_off !== undefined) return 'always_off';
  if (model.trace_id_ratio_based !== undefined)
    return `trace_id_ratio_based ${model.trace_id_ratio_based?.ratio ?? DEFAULT_RATIO}`;
  const adaptive = model[ADAPTIVE_SAMPLER];
  if (adaptive !== undefined)
    return `${ADAPTIVE_SAMPLER} ${adaptive?.target_per_second ?? DEFAULT_ADAPTIVE_TARGET_PER_SECOND}/s`;
  if (model.parent_based === undefined) return 'always_on';
  const { root, ...others } = model.parent_based ?? {};
  const slots = [
    `root: ${describeFileSampler(root ?? { always_on: null })}`,
    ...Object.entries(others).flatMap(([slot, child]) =>
      child ? [`${slot}: ${describeFileSampler(child)}`] : [],
    ),
  ];
  return `parent_based(${slots.join(', ')})`;
}

/** The exporters of the file's span processors, in order, e.g. `otlp_grpc,console`. */
export function describeFileExporters(model: FileModel): string {
  const names = (model.tracer_provider?.processors ?? []).flatMap((processor) =>
    Object.keys((processor.batch ?? processor.simple)!.exporter),
  );
  return names.length ? names.join(',') : 'none';
}
