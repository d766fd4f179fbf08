import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { AdaptiveSampler } from '../../sampling/adaptive-sampler';
import { DEFAULT_ADAPTIVE_TARGET_PER_SECOND } from '../../sampling/sampler-setting';
import {
  ADAPTIVE_SAMPLER,
  DEFAULT_RATIO,
  type ParentBasedModel,
  type SamplerModel,
} from './config-file-schema';

const PARENT_SLOTS = {
  remote_parent_sampled: 'remoteParentSampled',
  remote_parent_not_sampled: 'remoteParentNotSampled',
  local_parent_sampled: 'localParentSampled',
  local_parent_not_sampled: 'localParentNotSampled',
} as const;

function parentBased(model: ParentBasedModel): Sampler {
  const slots = Object.entries(PARENT_SLOTS).flatMap(([slot, option]) => {
    const child = model[slot as keyof typeof PARENT_SLOTS];
    return child ? [[option, createFileSampler(child)]] : [];
  });
  return new ParentBasedSampler({
    root: model.root ? createFileSampler(model.root) : new AlwaysOnSampler(),
    ...Object.fromEntries(slots),
  });
}

/**
 * The sampler the file names, as every SDK builds it, plus ours (`traced_agent_adaptive`, only as
 * `parent_based`'s root: see config-file-schema.ts). No sampler: the format's default,
 * `parent_based` with an `always_on` root.
 */
export function createFileSampler(model: SamplerModel | null | undefined): Sampler {
  if (!model) return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  if (model.always_off !== undefined) return new AlwaysOffSampler();
  if (model.trace_id_ratio_based !== undefined)
    return new TraceIdRatioBasedSampler(model.trace_id_ratio_based?.ratio ?? DEFAULT_RATIO);
  if (model.parent_based !== undefined) return parentBased(model.parent_based ?? {});
  const adaptive = model[ADAPTIVE_SAMPLER];
  if (adaptive !== undefined)
    return new AdaptiveSampler({
      targetPerSecond: adaptive?.target_per_second ?? DEFAULT_ADAPTIVE_TARGET_PER_SECOND,
    });
  return new AlwaysOnSampler();
}

/**
 * Whether a child of a span this process did not sample stays unsampled: with every sampler of the
 * format but a `parent_based` whose `local_parent_not_sampled` is another than `always_off`.
 */
export function keepsUnsampledChildrenUnsampled(model: SamplerModel | null | undefined): boolean {
  const slot = model?.parent_based?.local_parent_not_sampled;
  return !slot || slot.always_off !== undefined;
}
