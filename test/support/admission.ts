import { Admission, type RefusalReason } from '../../src/http/admission/admission';
import { admissionBounds } from '../../src/http/admission/admission-bounds';
import type { Pressure } from '../../src/http/admission/pressure';

const GIB = 1024 ** 3;

/** A process at rest: no event-loop delay, little memory used. */
export const CALM: Pressure = { eventLoopDelayMs: 0, heapUsedBytes: 0, rssBytes: 0 };

/**
 * An admission of at most `maxRunsInFlight` runs (one caller: half of them, at least one), in a
 * process with 4 GiB of heap and 8 GiB of memory, under the pressure given (none by default), on
 * the clock given (the process's by default).
 */
export function testAdmission(
  maxRunsInFlight: number,
  {
    pressure = CALM,
    onRefused,
    now,
  }: { pressure?: Pressure; onRefused?: (reason: RefusalReason) => void; now?: () => number } = {},
): Admission {
  const bounds = admissionBounds(
    { heapLimitBytes: 4 * GIB, memoryLimitBytes: 8 * GIB },
    maxRunsInFlight,
  );
  return new Admission({ bounds, pressure, onRefused, now });
}

/** Takes every place of `admission` (as callers of their own); the function gives them back. */
export function holdEveryRun(admission: Admission): () => void {
  const releases: (() => void)[] = [];
  for (let caller = 0; ; caller++) {
    const taken = admission.tryTake(`holder-${caller}`);
    if (typeof taken === 'string') break;
    releases.push(taken);
  }
  return () => releases.forEach((release) => release());
}
