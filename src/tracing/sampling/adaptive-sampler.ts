import type { Attributes } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { ATTR_SAMPLING_PROBABILITY } from '../semconv';

export interface AdaptiveSamplerOptions {
  /** Sampled new traces per second to aim at. */
  targetPerSecond: number;
  /** Monotonic milliseconds; tests inject a clock they control. */
  now?: () => number;
  /** In [0, 1); tests inject a predictable sequence. */
  random?: () => number;
  /** How often the rate of new traces is measured again. */
  windowMs?: number;
}

const NOT_SAMPLED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * Adaptive sampling by load (workshop, exercise 1), for the root of a new trace: every trace while
 * new traces come slower than the target, and `target / rate` of them when they come faster, so
 * that about `targetPerSecond` traces a second are kept whatever the load. Wrapped in a
 * ParentBasedSampler (create-sampler.ts): a trace that arrives with a decision keeps it.
 *
 * The rate is counted in windows of one second, measured on the decisions themselves: no timer, a
 * few arithmetic operations per decision. Each sampled root records the probability it was sampled
 * with (`sampling.probability`), so that a backend can count each kept trace as 1 / p traces.
 */
export class AdaptiveSampler implements Sampler {
  private readonly targetPerSecond: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly windowMs: number;
  private windowStart: number;
  private tracesInWindow = 0;
  private lastWindowRate = 0;

  constructor({
    targetPerSecond,
    now = () => performance.now(),
    random = Math.random,
    windowMs = 1_000,
  }: AdaptiveSamplerOptions) {
    this.targetPerSecond = targetPerSecond;
    this.now = now;
    this.random = random;
    this.windowMs = windowMs;
    this.windowStart = now();
  }

  shouldSample(): SamplingResult {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) this.startWindow(now);
    this.tracesInWindow++;
    const probability = this.probabilityAt(now);
    if (this.random() >= probability) return NOT_SAMPLED;
    const attributes: Attributes = { [ATTR_SAMPLING_PROBABILITY]: probability };
    return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes };
  }

  /**
   * The rate is the last window's, or the current window's so far when it is already higher: a
   * burst lowers the probability within half a window instead of a whole one. The current rate
   * counts the intervals since the window's first trace, over at least half a window, so that a
   * few close arrivals at low load do not read as a burst. After an idle spell the last window is
   * long, its rate low, and the probability back to 1.
   */
  private probabilityAt(now: number): number {
    const elapsed = Math.max(now - this.windowStart, this.windowMs / 2);
    const rate = Math.max(this.lastWindowRate, ((this.tracesInWindow - 1) * 1_000) / elapsed);
    return rate <= this.targetPerSecond ? 1 : this.targetPerSecond / rate;
  }

  toString(): string {
    return `AdaptiveSampler{target=${this.targetPerSecond}/s}`;
  }

  private startWindow(now: number): void {
    this.lastWindowRate = (this.tracesInWindow * 1_000) / (now - this.windowStart);
    this.windowStart = now;
    this.tracesInWindow = 0;
  }
}
