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
