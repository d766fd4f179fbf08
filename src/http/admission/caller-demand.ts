/**
 * How many runs each caller asked for lately, admitted or refused: the count of the current window
 * plus the share of the previous one that the sliding window still covers (the estimate rate
 * limiters use). Reading a caller's demand, or the average over the callers seen, costs the same
 * whatever their number: the totals are kept as requests are counted. Only the callers of the last
 * two windows are kept, and at most `maxCallers` of them per window: past it, every new caller is
 * counted as one, the crowd, so that a crowd of addresses costs bounded memory and weighs what it
 * asks together rather than passing as many callers who ask little.
 */
/** The caller every caller past the bound is counted as: no address or key looks like it. */
const CROWD = '\u0000crowd';

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
    this.rotate();
    const key = this.keyOf(caller);
    const counted = this.current.get(key);
    if (counted === undefined && !this.previous.has(key)) this.callers++;
    this.current.set(key, (counted ?? 0) + 1);
    this.currentTotal++;
  }

  /** Requests of `caller` (of the crowd, for a caller past the bound) over the last window. */
  of(caller: string): number {
    this.rotate();
    const key = this.keyOf(caller);
    return this.weigh(this.previous.get(key) ?? 0, this.current.get(key) ?? 0, this.now());
  }

  /**
   * Whether `caller` asked for at least the average over the callers counted: one reading of the
   * clock for both sides, compared as `of × callers ≥ total` within a billionth, so that callers
   * who ask alike are equal, not split by rounding. With no caller counted, every caller is.
   */
  asksAtLeastTheAverage(caller: string): boolean {
    this.rotate();
    const now = this.now();
    const key = this.keyOf(caller);
    const own = this.weigh(this.previous.get(key) ?? 0, this.current.get(key) ?? 0, now);
    const total = this.weigh(this.previousTotal, this.currentTotal, now);
    // Within a billionth: the two sides are weighed apart, and their rounding may differ.
    return own * this.callers >= total * (1 - 1e-9);
  }

  /** The caller itself while the window has room for it (one place kept for the crowd). */
  private keyOf(caller: string): string {
    return this.current.has(caller) || this.current.size < this.maxCallers - 1 ? caller : CROWD;
  }

  /** Requests over the last window per caller counted, or 0 when none was. */
  average(): number {
    this.rotate();
    if (!this.callers) return 0;
    return this.weigh(this.previousTotal, this.currentTotal, this.now()) / this.callers;
  }

  private weigh(previous: number, current: number, now: number): number {
    const elapsed = Math.min(1, (now - this.windowStart) / this.windowMs);
    return previous * (1 - elapsed) + current;
  }

  private rotate(): void {
    const windows = Math.floor((this.now() - this.windowStart) / this.windowMs);
    if (windows < 1) return;
    this.windowStart += windows * this.windowMs;
    this.previous = windows === 1 ? this.current : new Map();
    this.previousTotal = windows === 1 ? this.currentTotal : 0;
    this.current = new Map();
    this.currentTotal = 0;
    this.callers = this.previous.size;
  }
}
