import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { AdaptiveSampler } from './adaptive-sampler';
import type { SamplerSetting } from './sampler-setting';

/**
 * The sampler for a setting (sampler-setting.ts). The SDK is always given it, so that it never
 * reads `OTEL_TRACES_SAMPLER` itself: one source of truth, and `adaptive` is not an unknown value.
 * `parentbased_*` and `adaptive` follow the caller's decision when a request arrives with one.
 */
export function createSampler(setting: SamplerSetting): Sampler {
  switch (setting.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(setting.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(setting.ratio) });
    case 'adaptive':
      return new ParentBasedSampler({
        root: new AdaptiveSampler({ targetPerSecond: setting.targetPerSecond }),
      });
  }
}

/**
 * Whether the sampler of a setting leaves every child of a span of this process it did not sample
 * unsampled, so that such children need not be started (`withSpan`). Decided here, beside each
 * sampler, so that a sampler added to the switch above must be answered for here too:
 * `always_on` never leaves a span unsampled and `always_off` never samples one; `traceidratio`
 * decides on the trace id, as it did for the parent; the parent-based ones (`adaptive` included)
 * follow an unsampled local parent.
 */
export function keepsUnsampledChildrenUnsampled(setting: SamplerSetting): boolean {
  switch (setting.name) {
    case 'always_on':
    case 'always_off':
    case 'traceidratio':
    case 'parentbased_always_on':
    case 'parentbased_always_off':
    case 'parentbased_traceidratio':
    case 'adaptive':
      return true;
  }
}
