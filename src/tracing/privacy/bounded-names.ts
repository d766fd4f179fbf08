/**
 * Caller-chosen names made safe as metric attributes: a name that looks like one (`pattern`) keeps
 * its value while fewer than `max` distinct names have been seen; anything else is `other`. The
 * first names seen win, for the life of the process: a time series, once created, is never renamed.
 */
export class BoundedNames {
  private readonly seen = new Set<string>();

  constructor(private readonly options: { max: number; pattern: RegExp; other: string }) {}

  of(name: string): string {
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.options.max || !this.options.pattern.test(name))
      return this.options.other;
    this.seen.add(name);
    return name;
  }
}
