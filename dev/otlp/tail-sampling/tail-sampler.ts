import type { ReceivedSpan } from '../decode';
import type { TailSamplingConfig } from './collector-policies';
import { createPolicy, type Policy } from './policies';

export interface TraceDecision {
  traceId: string;
  /** Every span of the trace received before its decision. */
  spans: readonly ReceivedSpan[];
  /** The first policy, in the file's order, that keeps the trace; undefined: dropped. */
  keptBy: string | undefined;
}

interface PendingTrace {
  spans: ReceivedSpan[];
  timer: NodeJS.Timeout;
}

/**
 * The collector's `tail_sampling` processor in miniature, for a run without Docker: spans are held
 * per trace from the first one's arrival for the decision wait, then every policy looks at the
 * whole trace and it is kept when any of them keeps it. Spans of a trace already decided are
 * counted as late (the collector forwards or drops them by the cached decision).
 */
export class TailSampler {
  private readonly pending = new Map<string, PendingTrace>();
  private readonly policies: { name: string; keeps: Policy }[];
  private readonly decided = new Set<string>();
  /** Each says whether it is done, and is then forgotten. */
  private waiters: (() => boolean)[] = [];
  readonly decisions: TraceDecision[] = [];
  lateSpans = 0;

  constructor(private readonly config: TailSamplingConfig) {
    this.policies = config.policies.map((policy) => ({
      name: policy.name,
      keeps: createPolicy(policy),
    }));
  }

  get decisionWaitMs(): number {
    return this.config.decisionWaitMs;
  }

  /** Takes the spans of one export, of any traces, in any order. */
  add(spans: readonly ReceivedSpan[]): void {
    for (const span of spans) {
      if (this.decided.has(span.traceId)) {
        this.lateSpans += 1;
        continue;
      }
      const trace = this.pending.get(span.traceId);
      if (trace) trace.spans.push(span);
      else
        this.pending.set(span.traceId, {
          spans: [span],
          timer: setTimeout(() => this.decide(span.traceId), this.config.decisionWaitMs),
        });
    }
  }

  /**
   * Resolves once each of these traces is decided (they may not have arrived yet); rejects after
   * `timeoutMs`, saying how many are undecided and how many of those never arrived.
   */
  whenDecided(traceIds: Iterable<string>, timeoutMs = 30_000): Promise<void> {
    const wanted = new Set(traceIds);
    return new Promise((resolve, reject) => {
      const undecided = () => [...wanted].filter((traceId) => !this.decided.has(traceId));
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        const missing = undecided();
        const neverArrived = missing.filter((traceId) => !this.pending.has(traceId));
        reject(
          new Error(
            `${missing.length} of ${wanted.size} traces undecided after ${timeoutMs} ms, ${neverArrived.length} of them never received (${missing.slice(0, 5).join(', ')})`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (undecided().length) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  /** Forgets the traces still waiting, without deciding them. */
  stop(): void {
    for (const trace of this.pending.values()) clearTimeout(trace.timer);
    this.pending.clear();
  }

  private decide(traceId: string): void {
    const trace = this.pending.get(traceId);
    if (!trace) return;
    this.pending.delete(traceId);
    this.decided.add(traceId);
    const keptBy = this.policies.find((policy) => policy.keeps(traceId, trace.spans))?.name;
    this.decisions.push({ traceId, spans: trace.spans, keptBy });
    this.waiters = this.waiters.filter((done) => !done());
  }
}
