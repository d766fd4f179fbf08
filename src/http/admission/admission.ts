import type { Request, Response } from 'express';
import type { EdgeRefusalReason } from '../connection-guard';
import { overloaded, type HttpError } from '../errors';
import { callerOf } from '../security';
import { LIMITS } from '../../limits';
import type { AdmissionBounds } from './admission-bounds';
import { CallerDemand } from './caller-demand';
import type { Pressure } from './pressure';

/** Why admission refused a run. */
type RunRefusalReason =
  'runs_in_flight' | 'caller_runs_in_flight' | 'event_loop_delay' | 'heap_used' | 'rss';

/**
 * Why a request was answered 503 `overloaded`, by admission or by the server's edge
 * (src/http/connection-guard.ts): the metric's label and the refused request's span attribute.
 */
export type RefusalReason = RunRefusalReason | EdgeRefusalReason;

export interface AdmissionOptions {
  bounds: AdmissionBounds;
  pressure: Pressure;
  /** Told of each refusal (the metric, the span), before the 503 is thrown. */
  onRefused?: (reason: RefusalReason) => void;
  /** Milliseconds since some fixed point: the clock of each caller's demand. */
  now?: () => number;
}

const MIB = 1024 * 1024;

/** One answer per reason, built once: under a flood, a stack trace per refusal is a cost. */
function refusals(bounds: AdmissionBounds): Record<RunRefusalReason, HttpError> {
  return {
    runs_in_flight: overloaded(
      `${bounds.maxRunsInFlight} agent runs are in flight, the most this service takes at once.`,
    ),
    caller_runs_in_flight: overloaded(
      `You have ${bounds.maxRunsPerCaller} agent runs in flight, the most one caller may hold at once.`,
    ),
    event_loop_delay: overloaded(
      `The service is busy: its event loop runs more than ${bounds.maxEventLoopDelayMs} ms late.`,
    ),
    heap_used: overloaded(
      `The service is short of memory: its heap is over ${Math.round(bounds.maxHeapUsedBytes / MIB)} MiB.`,
    ),
    rss: overloaded(
      `The service is short of memory: it holds over ${Math.round(bounds.maxRssBytes / MIB)} MiB.`,
    ),
  };
}

/**
 * Admits a run while the process can hold it, and refuses it at once with 503 `overloaded` and
 * `Retry-After` when it cannot: nothing waits, so a refusal costs the client no time and the
 * process no memory. Refused when the runs in flight reach their cap (derived from the memory a run
 * holds), when the caller already holds its share of them, when the event loop runs late, or when
 * the heap or the process's memory pass their bounds (`admissionBounds`, docs/serving.md).
 */
export class Admission {
  private taken = 0;
  private readonly perCaller = new Map<string, number>();
  private readonly refusal: Record<RunRefusalReason, HttpError>;
  readonly bounds: AdmissionBounds;
  private readonly pressure: Pressure;
  private readonly onRefused: (reason: RefusalReason) => void;
  private readonly demand: CallerDemand;

  constructor({ bounds, pressure, onRefused = () => undefined, now }: AdmissionOptions) {
    this.bounds = bounds;
    this.pressure = pressure;
    this.onRefused = onRefused;
    this.refusal = refusals(bounds);
    this.demand = new CallerDemand(
      LIMITS.admissionWindowMs,
      LIMITS.admissionMaxCallersCounted,
      now,
    );
  }

  get inFlight(): number {
    return this.taken;
  }

  /** Why a run of `caller` would be refused now, or undefined when it would be admitted. */
  refusalFor(caller: string): RunRefusalReason | undefined {
    const { bounds, pressure } = this;
    if (this.taken >= bounds.maxRunsInFlight) return 'runs_in_flight';
    if ((this.perCaller.get(caller) ?? 0) >= bounds.maxRunsPerCaller)
      return 'caller_runs_in_flight';
    if (this.isLoopTooLateFor(caller)) return 'event_loop_delay';
    if (pressure.heapUsedBytes > bounds.maxHeapUsedBytes) return 'heap_used';
    if (pressure.rssBytes > bounds.maxRssBytes) return 'rss';
    return undefined;
  }

  /**
   * The event loop late: the callers that ask the most are refused first, as Envoy's overload
   * manager scales its actions between two thresholds. Past the bound, a caller that asked for at
   * least the average number of runs over the last window, refused ones included, and requests
   * refused at the edge by address (a flood, not the client beside it, whose refusal would relieve
   * little); past four times the bound (1 s), every caller. What a caller asks, not the runs it holds: a flood whose runs are short holds few at any
   * instant, and was measured refusing one request in seven of the honest client beside it.
   */
  private isLoopTooLateFor(caller: string): boolean {
    const delayMs = this.pressure.eventLoopDelayMs;
    const boundMs = this.bounds.maxEventLoopDelayMs;
    if (delayMs <= boundMs) return false;
    return delayMs > 4 * boundMs || this.demand.asksAtLeastTheAverage(caller);
  }

  /**
   * Takes a place for a run of `caller`: a function that gives it back (calling it twice is
   * harmless), or the reason it is refused.
   */
  tryTake(caller: string): (() => void) | RunRefusalReason {
    // Weighed on what it asked before this request, then counted, refused or not: counted first,
    // a caller asking once a second read as asking more than the average of such callers.
    const refused = this.refusalFor(caller);
    this.demand.count(caller);
    if (refused) return refused;
    this.taken++;
    this.perCaller.set(caller, (this.perCaller.get(caller) ?? 0) + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.taken--;
      const held = this.perCaller.get(caller)! - 1;
      if (held) this.perCaller.set(caller, held);
      else this.perCaller.delete(caller);
    };
  }

  /**
   * Admits the run this request is about to start, held until its answer is sent or its client
   * goes away (the run is then cancelled). Called by a route once the body has arrived and is
   * valid, so a client that is slow to send, or sends nonsense, holds nothing. Throws 503
   * `overloaded`, with `Retry-After`, when the run is refused.
   */
  admit(request: Request, response: Response): void {
    const taken = this.tryTake(callerOf(request, response));
    if (typeof taken === 'string') {
      this.onRefused(taken);
      throw this.refusal[taken];
    }
    response.once('close', taken);
  }

  /**
   * A request the server's edge refused before it could ask for a run: told whom admission's own
   * refusals are told, so that one metric counts every 503 `overloaded`, and counted as asked by
   * `caller` (its connection's address: the edge reads no key), so that a pipelined flood weighs
   * what it asks, not only the connections it opens.
   */
  refusedAtEdge(reason: EdgeRefusalReason, caller: string): void {
    this.demand.count(caller);
    this.onRefused(reason);
  }
}
