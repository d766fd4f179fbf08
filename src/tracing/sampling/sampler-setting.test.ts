import { chooseSampler, describeSampler, SamplerSettingError } from './sampler-setting';

describe('chooseSampler', () => {
  it('samples 10% of new traces in production when OTEL_TRACES_SAMPLER is not set', () => {
    expect(chooseSampler({ environment: 'production' })).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0.1,
      source: 'default for NODE_ENV=production',
    });
  });

  it.each(['development', 'test', 'staging'])(
    'samples every trace in %s when OTEL_TRACES_SAMPLER is not set',
    (environment) => {
      expect(chooseSampler({ environment })).toEqual({
        name: 'parentbased_always_on',
        source: 'default',
      });
    },
  );

  it.each([
    ['always_on', undefined, { name: 'always_on' }],
    ['always_off', undefined, { name: 'always_off' }],
    ['parentbased_always_on', undefined, { name: 'parentbased_always_on' }],
    ['parentbased_always_off', undefined, { name: 'parentbased_always_off' }],
    ['traceidratio', '0.25', { name: 'traceidratio', ratio: 0.25 }],
    ['parentbased_traceidratio', '0', { name: 'parentbased_traceidratio', ratio: 0 }],
    ['traceidratio', undefined, { name: 'traceidratio', ratio: 1 }],
    ['adaptive', '50', { name: 'adaptive', targetPerSecond: 50 }],
    ['adaptive', undefined, { name: 'adaptive', targetPerSecond: 10 }],
    ['Always_On', undefined, { name: 'always_on' }],
  ])('lets OTEL_TRACES_SAMPLER=%s (arg %s) win over the environment', (sampler, arg, expected) => {
    expect(chooseSampler({ sampler, arg, environment: 'production' })).toEqual({
      ...expected,
      source: 'OTEL_TRACES_SAMPLER',
    });
  });

  it.each([
    ['jaeger_remote', undefined, /"jaeger_remote" is not one of always_on/],
    ['traceidratio', '1.5', /"1.5" is not a number from 0 to 1/],
    ['parentbased_traceidratio', 'ten percent', /"ten percent" is not a number from 0 to 1/],
    ['adaptive', '0', /"0" is not a positive number of traces per second/],
    ['adaptive', '-3', /"-3" is not a positive number/],
  ])(
    'refuses OTEL_TRACES_SAMPLER=%s with arg %s, saying what is wrong',
    (sampler, arg, message) => {
      expect(() => chooseSampler({ sampler, arg, environment: 'development' })).toThrow(
        SamplerSettingError,
      );
      expect(() => chooseSampler({ sampler, arg, environment: 'development' })).toThrow(message);
    },
  );
});

describe('describeSampler', () => {
  it('says which sampler is in force, with its argument and why', () => {
    expect(describeSampler(chooseSampler({ environment: 'production' }))).toBe(
      'parentbased_traceidratio 0.1 (default for NODE_ENV=production)',
    );
    expect(describeSampler(chooseSampler({ environment: 'development' }))).toBe(
      'parentbased_always_on (default)',
    );
    expect(
      describeSampler(chooseSampler({ sampler: 'adaptive', arg: '20', environment: 'production' })),
    ).toBe('adaptive 20/s (OTEL_TRACES_SAMPLER)');
  });
});
