import type { SamplerModel } from './config-file-schema';
import { describeFileSampler } from './describe-file';
import { createFileSampler, keepsUnsampledChildrenUnsampled } from './file-sampler';

describe('the sampler a configuration file names', () => {
  it.each<[string, SamplerModel | undefined, string, string]>([
    [
      'none: the format default',
      undefined,
      'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler',
      'parent_based(root: always_on)',
    ],
    ['always_on', { always_on: null }, 'AlwaysOnSampler', 'always_on'],
    ['always_off', { always_off: null }, 'AlwaysOffSampler', 'always_off'],
    [
      'trace_id_ratio_based without a ratio: 1',
      { trace_id_ratio_based: null },
      'TraceIdRatioBased{1}',
      'trace_id_ratio_based 1',
    ],
    [
      'the production file',
      { parent_based: { root: { trace_id_ratio_based: { ratio: 0.1 } } } },
      'ParentBased{root=TraceIdRatioBased{0.1}, remoteParentSampled=AlwaysOnSampler',
      'parent_based(root: trace_id_ratio_based 0.1)',
    ],
    [
      'parent_based with another slot',
      { parent_based: { remote_parent_not_sampled: { always_on: null } } },
      'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOnSampler',
      'parent_based(root: always_on, remote_parent_not_sampled: always_on)',
    ],
    [
      'our adaptive sampler as the root',
      { parent_based: { root: { traced_agent_adaptive: { target_per_second: 20 } } } },
      'ParentBased{root=AdaptiveSampler{target=20/s}',
      'parent_based(root: traced_agent_adaptive 20/s)',
    ],
    [
      'our adaptive sampler without a target: 10 a second, as OTEL_TRACES_SAMPLER=adaptive',
      { parent_based: { root: { traced_agent_adaptive: null } } },
      'ParentBased{root=AdaptiveSampler{target=10/s}',
      'parent_based(root: traced_agent_adaptive 10/s)',
    ],
  ])('builds and describes %s', (_case, model, built, described) => {
    expect(String(createFileSampler(model))).toContain(built);
    expect(describeFileSampler(model)).toBe(described);
  });

  it.each<[string, SamplerModel | undefined, boolean]>([
    ['none', undefined, true],
    ['always_on', { always_on: null }, true],
    [
      'trace_id_ratio_based: decided on the trace id, as for the parent',
      { trace_id_ratio_based: { ratio: 0.1 } },
      true,
    ],
    ['parent_based with its defaults', { parent_based: { root: { always_off: null } } }, true],
    [
      'parent_based, local_parent_not_sampled always_off',
      { parent_based: { local_parent_not_sampled: { always_off: null } } },
      true,
    ],
    [
      'parent_based, local_parent_not_sampled always_on',
      { parent_based: { local_parent_not_sampled: { always_on: null } } },
      false,
    ],
    [
      'parent_based, local_parent_not_sampled trace_id_ratio_based',
      { parent_based: { local_parent_not_sampled: { trace_id_ratio_based: { ratio: 0.5 } } } },
      false,
    ],
  ])('says whether %s keeps the children of an unsampled span unsampled', (_case, model, keeps) => {
    expect(keepsUnsampledChildrenUnsampled(model)).toBe(keeps);
  });
});
