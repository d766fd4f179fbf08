import { admissionBounds } from './admission-bounds';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

describe('admissionBounds', () => {
  it('caps the runs in flight at what half of the memory a process may hold takes, at 512 KiB a run', () => {
    // A machine of 24 GiB: V8's heap limit (4 GiB) is the smaller.
    expect(admissionBounds({ heapLimitBytes: 4 * GIB, memoryLimitBytes: 24 * GIB })).toMatchObject({
      maxRunsInFlight: 4_096,
      maxRunsPerCaller: 2_048,
    });
    // A container of 512 MiB, whose heap limit V8 may still set higher.
    expect(admissionBounds({ heapLimitBytes: 2 * GIB, memoryLimitBytes: 512 * MIB })).toMatchObject(
      { maxRunsInFlight: 512, maxRunsPerCaller: 256 },
    );
  });

  it('bounds heap used at 90% of the heap limit and RSS at 85% of the memory, and the delay at 250 ms', () => {
    expect(admissionBounds({ heapLimitBytes: 1_000 * MIB, memoryLimitBytes: 2_000 * MIB })).toEqual(
      expect.objectContaining({
        maxEventLoopDelayMs: 250,
        maxHeapUsedBytes: 900 * MIB,
        maxRssBytes: 1_700 * MIB,
      }),
    );
  });

  it('takes MAX_CONCURRENT_RUNS in place of the derived cap, one caller holding half, at least one run', () => {
    const limits = { heapLimitBytes: 4 * GIB, memoryLimitBytes: 24 * GIB };
    expect(admissionBounds(limits, 10)).toMatchObject({ maxRunsInFlight: 10, maxRunsPerCaller: 5 });
    expect(admissionBounds(limits, 1)).toMatchObject({ maxRunsInFlight: 1, maxRunsPerCaller: 1 });
  });
});
