import { OldestFirstMap } from '../oldest-first-map';

/**
 * Failed authentications per address, in fixed one-minute windows. Only answered 401s are
 * counted, so requests in flight never count, and a request with a valid key never asks.
 */
export class FailedAuthentications {
  private readonly windows = new OldestFirstMap<string, { failures: number; resetsAt: number }>();

  constructor(
    readonly perMinute: number,
    /** Addresses tracked at once; past it, expired windows are dropped, then the oldest. */
    private readonly maxAddresses = 10_000,
    // A monotonic clock: windows opened later end later even if the wall clock steps back, so the
    // oldest window is the first to end.
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until `address` may try again, or 0 when it is under the limit. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (!window || window.failures < this.perMinute) return 0;
    return Math.max(1, Math.ceil((window.resetsAt - this.now()) / 1000));
  }

  count(address: string): void {
    const window = this.current(address);
    if (window) window.failures += 1;
    else {
      this.makeRoom();
      this.windows.set(address, { failures: 1, resetsAt: this.now() + this.windowMs });
    }
  }

  private current(address: string) {
    const window = this.windows.get(address);
    if (window && window.resetsAt <= this.now()) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  /** Memory stays bounded whatever number of addresses guesses (IPv6 gives an attacker many). */
  private makeRoom(): void {
    if (this.windows.size < this.maxAddresses) return;
    // Every window lasts as long: the oldest ends first. Each guess costs the same, however many
    // addresses are tracked.
    const now = this.now();
    this.windows.deleteOldestWhile((window) => window.resetsAt <= now);
    this.windows.deleteOldestWhile(() => this.windows.size >= this.maxAddresses);
  }
}
