/**
 * `node dist-dev/dev/bench/sampler-cost.js [decisions]`: the adaptive sampler's own cost per
 * decision, on its real clock, measured alone in its own process (under Jest, `performance.now()`
 * alone costs several times more). Prints one JSON line.
 */
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { AdaptiveSampler } from '../../src/tracing/sampling/adaptive-sampler';

function measure(decisions: number): { nanosecondsPerDecision: number; sampled: number } {
  const sampler = new AdaptiveSampler({ targetPerSecond: 10 });
  let sampled = 0;
  const started = process.hrtime.bigint();
  for (let index = 0; index < decisions; index++) {
    if (sampler.shouldSample().decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
  }
  return { nanosecondsPerDecision: Number(process.hrtime.bigint() - started) / decisions, sampled };
}

const decisions = Number(process.argv[2] ?? 1_000_000);
measure(decisions / 10); // warm-up: let the JIT compile it first
const { nanosecondsPerDecision, sampled } = measure(decisions);
process.stdout.write(
  `${JSON.stringify({ decisions, sampled, nanosecondsPerDecision: Math.round(nanosecondsPerDecision) })}\n`,
);
