import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { AdaptiveSampler } from './adaptive-sampler';
import { createSampler } from './create-sampler';
import { ATTR_SAMPLING_PROBABILITY } from '../semconv';

const TARGET = 10;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface Decision {
  atMs: number;
  sampled: boolean;
  probability?: number;
}

/**
 * A sampler on a clock the test moves, with an evenly spread "random" sequence (no luck involved).
 */
function harness() {
  let nowMs = 0;
  let draws = 0;
  const sampler = new AdaptiveSampler({
    targetPerSecond: TARGET,
    now: () => nowMs,
    random: () => (draws++ * 0.618_033_988_7) % 1,
  });
  const decisions: Decision[] = [];
  /** New traces at `perSecond` for `seconds`, evenly spaced. */
  const load = (perSecond: number, seconds: number) => {
    const count = Math.round(perSecond * seconds);
    for (let index = 0; index < count; index++) {
      nowMs += 1_000 / perSecond;
      const result = sampler.shouldSample();
      const sampled = result.decision === SamplingDecision.RECORD_AND_SAMPLED;
      decisions.push({
        atMs: nowMs,
        sampled,
        probability: result.attributes?.[ATTR_SAMPLING_PROBABILITY] as number | undefined,
      });
    }
  };
  const sampledBetween = (fromMs: number, toMs: number) =>
    decisions.filter(
      (decision) => decision.sampled && decision.atMs > fromMs && decision.atMs <= toMs,
    ).length;
  /** The most traces sampled in any 5-second window (sliding by 100 ms) within [fromMs, toMs]. */
  const busiestFiveSeconds = (fromMs: number, toMs: number) => {
    let most = 0;
    for (let start = fromMs; start + 5_000 <= toMs; start += 100)
      most = Math.max(most, sampledBetween(start, start + 5_000));
    return most;
  };
  return { load, decisions, sampledBetween, busiestFiveSeconds, now: () => nowMs };
}

describe('AdaptiveSampler', () => {
  it('samples every new trace while they come slower than the target', () => {
    const { load, decisions } = harness();
    load(8, 10);
    expect(decisions).toHaveLength(80);
    expect(decisions.every((decision) => decision.sampled && decision.probability === 1)).toBe(
      true,
    );
  });

  it('lowers its probability within two seconds when load rises, keeping the sampled rate near the target', () => {
    const { load, sampledBetween, busiestFiveSeconds } = harness();
    load(5, 5);
    load(200, 20);
    // The burst's first second is over the target, but not by 20 times.
    expect(sampledBetween(5_000, 6_000)).toBeLessThan(3 * TARGET);
    for (let second = 7; second < 25; second++) {
      const sampled = sampledBetween(second * 1_000, (second + 1) * 1_000);
      expect(sampled).toBeGreaterThanOrEqual(0.7 * TARGET);
      expect(sampled).toBeLessThanOrEqual(1.3 * TARGET);
    }
    expect(busiestFiveSeconds(7_000, 25_000)).toBeLessThanOrEqual(1.5 * TARGET * 5);
  });

  it('raises it again when load falls', () => {
    const { load, decisions, now } = harness();
    load(200, 10);
    const fellAt = now();
    load(5, 10);
    const afterTwoSeconds = decisions.filter((decision) => decision.atMs > fellAt + 2_000);
    expect(afterTwoSeconds.length).toBeGreaterThan(0);
    expect(
      afterTwoSeconds.every((decision) => decision.sampled && decision.probability === 1),
    ).toBe(true);
  });

  it('samples everything again after an idle spell', () => {
    const { load, decisions } = harness();
    load(500, 3);
    load(0.1, 20);
    expect(decisions.slice(-2).every((decision) => decision.sampled)).toBe(true);
  });

  it('stays under 1.5 × the target over any 5 seconds under a load that jumps between 50 and 400 a second', () => {
    const { load, busiestFiveSeconds } = harness();
    for (let second = 0; second < 30; second++) load(second % 2 ? 400 : 50, 1);
    for (let second = 0; second < 30; second++) load([60, 350, 120, 400, 90, 280][second % 6]!, 1);
    expect(busiestFiveSeconds(2_000, 60_000)).toBeLessThanOrEqual(1.5 * TARGET * 5);
  });

  it('records the probability of each sampled root, so that 1 / p extrapolates the number of traces', () => {
    const { load, decisions } = harness();
    load(150, 10);
    load(40, 10);
    const extrapolated = decisions
      .filter((decision) => decision.sampled)
      .reduce((sum, decision) => sum + 1 / decision.probability!, 0);
    expect(extrapolated / decisions.length).toBeGreaterThan(0.9);
    expect(extrapolated / decisions.length).toBeLessThan(1.1);
  });

  it('keeps the decision of a request that arrives with one, whatever the load (parent-based)', () => {
    const sampler = createSampler({
      name: 'adaptive',
      targetPerSecond: 1,
      source: 'OTEL_TRACES_SAMPLER',
    });
    const remoteParent = (traceFlags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE_ID,
        spanId: '00f067aa0ba902b7',
        traceFlags,
        isRemote: true,
      });
    const decide = (context = ROOT_CONTEXT) =>
      sampler.shouldSample(context, TRACE_ID, 'POST', SpanKind.SERVER, {}, []).decision;
    const roots = Array.from({ length: 2_000 }, () => decide());
    expect(
      roots.filter((decision) => decision === SamplingDecision.RECORD_AND_SAMPLED).length,
    ).toBeLessThan(100);
    for (let index = 0; index < 100; index++) {
      expect(decide(remoteParent(TraceFlags.SAMPLED))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(decide(remoteParent(TraceFlags.NONE))).toBe(SamplingDecision.NOT_RECORD);
    }
  });
});
