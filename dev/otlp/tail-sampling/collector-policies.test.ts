import path from 'node:path';
import { parseTailSampling, readTailSampling } from './collector-policies';

const COLLECTOR_CONFIG = path.join(__dirname, '..', '..', '..', 'otel-collector-config.yaml');

describe("the collector configuration's tail sampling, read for the local receiver", () => {
  it('reads the policies of otel-collector-config.yaml: every error, every trace of 2 s or more, 10% of the rest, decided 10 s after the first span', () => {
    expect(readTailSampling(COLLECTOR_CONFIG)).toEqual({
      decisionWaitMs: 10_000,
      policies: [
        { name: 'keep-every-error', type: 'status_code', statusCodes: ['ERROR'] },
        { name: 'keep-slow-traces', type: 'latency', thresholdMs: 2000, upperThresholdMs: 0 },
        {
          name: 'keep-a-share-of-the-rest',
          type: 'probabilistic',
          samplingPercentage: 10,
          hashSalt: 'default-hash-seed',
        },
      ],
    });
  });

  it('refuses a policy type it does not apply, naming the ones it does', () => {
    const yaml = `processors:
  tail_sampling:
    policies:
      - name: by-attribute
        type: string_attribute
        string_attribute: { key: user.id, values: [ana] }
`;
    expect(() => parseTailSampling(yaml)).toThrow(
      /processors\.tail_sampling\.policies\.0(\.type)?: a policy type the local tail sampler does not apply \(it knows status_code, latency and probabilistic\)/,
    );
  });

  it("takes the collector's default decision wait, 30 s, and reads 500ms and 1m", () => {
    const withWait = (wait: string) =>
      parseTailSampling(`processors:
  tail_sampling:
    ${wait}
    policies: [{ name: all, type: probabilistic, probabilistic: { sampling_percentage: 100 } }]
`).decisionWaitMs;
    expect([withWait(''), withWait('decision_wait: 500ms'), withWait('decision_wait: 1m')]).toEqual(
      [30_000, 500, 60_000],
    );
    expect(() => withWait('decision_wait: soon')).toThrow(
      'not a duration like 10s or 500ms: "soon"',
    );
  });
});
