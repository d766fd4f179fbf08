/**
 * How many runs each caller asked for lately, admitted or refused: the count of the current window
 * plus the share of the previous one that the sliding window still covers (the estimate rate
 * limiters use). Reading a caller's demand against the others' costs the same whatever their
 * number: the totals are kept as requests are counted. Only the callers of the last
 * two windows are kept, and at most `maxCallers` of them per window: past it, every new caller is
 * counted as one, the crowd, so that a crowd of addresses costs bounded memory and weighs what it
 * asks together rather than passing as many callers who ask little.
 */
/** The caller every caller past the bound is counted as: no address or key looks like it. */
const CROWD = '\u0000crowd';

/** A caller's requests over the last window, and all callers' (weighed as the window slides). */
export interface Demand {
  own: number;
  total: number;
  /** Callers counted in either window. */
  callers: number;
}

export class CallerDemand {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentTotal = 0;
  private previousTotal = 0;
  /** Callers counted in either window. */
  private callers = 0;
  private windowStart: number;

  constructor(
    private readonly windowMs: number,
    private readonly maxCallers: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.windowStart = now();
  }

  /** Counts one request of `caller`. */
  count(caller: string): void {
    this.rotate(this.now());
    const key = this.keyOf(caller);
    const counted = this.current.get(key);
    if (counted === undefined && !this.previous.has(key)) this.callers++;
    this.current.set(key, (counted ?? 0) + 1);
    this.currentTotal++;
  }

  /**
   * What `caller` (the crowd, for a caller past the bound) asked over the last window, and what
   * every caller counted asked together, read at one instant of the clock.
   */
  demandOf(caller: string): Demand {
    const now = this.now();
    this.rotate(now);
    const key = this.keyOf(caller);
    return {
      own: this.weigh(this.previous.get(key) ?? 0, this.current.get(key) ?? 0, now),
      total: this.weigh(this.previousTotal, this.currentTotal, now),
      callers: this.callers,
    };
  }

  /**
   * Whether `caller` asked for at least the average over the callers counted, compared as
   * `own × callers ≥ total` within a billionth (the two sides are weighed apart, and their rounding
   * may differ), so that callers who ask alike are equal. With no caller counted, every caller is.
   */
  asksAtLeastTheAverage(caller: string): boolean {
    const { own, total, callers } = this.demandOf(caller);
    return own * callers >= total * (1 - 1e-9);
  }

  /** The caller itself while the window has room for it (one place kept for the crowd). */
  private keyOf(caller: string): string {
    return this.current.has(caller) || this.current.size < this.maxCallers - 1 ? caller : CROWD;
  }

  private weigh(previous: number, current: number, now: number): number {
    const elapsed = Math.min(1, (now - this.windowStart) / this.windowMs);
    return previous * (1 - elapsed) + current;
  }

  private rotate(now: number): void {
    const windows = Math.floor((now - this.windowStart) / this.windowMs);
    if (windows < 1) return;
    this.windowStart += windows * this.windowMs;
    this.previous = windows === 1 ? this.current : new Map();
    this.previousTotal = windows === 1 ? this.currentTotal : 0;
    this.current = new Map();
    this.currentTotal = 0;
    this.callers = this.previous.size;
  }
}
