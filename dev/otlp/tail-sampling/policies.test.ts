import type { ReceivedSpan } from '../decode';
import { createPolicy, fnv1a64, probabilisticThreshold, DEFAULT_HASH_SALT } from './policies';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const MS = 1_000_000n;

/** A span of the trace from `startMs` to `endMs`, with the given status. */
function span(startMs: number, endMs: number, status: 'UNSET' | 'OK' | 'ERROR' = 'UNSET') {
  return {
    traceId: TRACE_ID,
    startTimeUnixNano: BigInt(startMs) * MS,
    endTimeUnixNano: BigInt(endMs) * MS,
    status: { code: status, message: '' },
  } as ReceivedSpan;
}

describe("the collector's tail-sampling policies, applied locally", () => {
  it('hashes with 64-bit FNV-1a, as Go’s hash/fnv New64a does', () => {
    const text = (value: string) => new TextEncoder().encode(value);
    expect(fnv1a64(text(''))).toBe(0xcbf29ce484222325n);
    expect(fnv1a64(text('a'))).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64(text('foobar'))).toBe(0x85944171f73967e8n);
  });

  it('keeps a share of traces by the hash of their id: none at 0%, all at 100%, about 10% at 10%', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) =>
      fnv1a64(new TextEncoder().encode(String(index)))
        .toString(16)
        .padStart(32, '0'),
    );
    const kept = (samplingPercentage: number) => {
      const policy = createPolicy({
        name: 'share',
        type: 'probabilistic',
        samplingPercentage,
        hashSalt: DEFAULT_HASH_SALT,
      });
      return ids.filter((id) => policy(id, [])).length;
    };
    expect(kept(0)).toBe(0);
    expect(kept(100)).toBe(ids.length);
    expect(kept(10)).toBeGreaterThan(1_800);
    expect(kept(10)).toBeLessThan(2_200);
  });

  it('compares the salted hash of the id’s 16 bytes with (2⁶⁴ − 1) × ratio, as the collector does', () => {
    // FNV-1a over "default-hash-seed" then the id's bytes: 0xa54533ba2e4970b5, 64.6% of 2⁶⁴.
    const policy = (samplingPercentage: number) =>
      createPolicy({
        name: 'share',
        type: 'probabilistic',
        samplingPercentage,
        hashSalt: DEFAULT_HASH_SALT,
      });
    expect(policy(64)(TRACE_ID, [])).toBe(false);
    expect(policy(65)(TRACE_ID, [])).toBe(true);
    expect(probabilisticThreshold(100)).toBe((1n << 64n) - 1n);
    expect(probabilisticThreshold(150)).toBe((1n << 64n) - 1n);
    expect(probabilisticThreshold(-50)).toBe(0n);
  });

  it('keeps a trace with a span of a listed status, whichever span it is', () => {
    const errors = createPolicy({ name: 'errors', type: 'status_code', statusCodes: ['ERROR'] });
    expect(errors(TRACE_ID, [span(0, 10), span(1, 2, 'ERROR')])).toBe(true);
    expect(errors(TRACE_ID, [span(0, 10, 'OK'), span(1, 2)])).toBe(false);
  });

  it('measures a trace from its earliest start to its latest end, in whole milliseconds', () => {
    const slow = createPolicy({
      name: 'slow',
      type: 'latency',
      thresholdMs: 2000,
      upperThresholdMs: 0,
    });
    // No single span lasts 2 s; the trace does.
    expect(slow(TRACE_ID, [span(0, 1500), span(1000, 2000)])).toBe(true);
    expect(slow(TRACE_ID, [span(0, 1999)])).toBe(false);
  });

  it('with an upper threshold, keeps only traces longer than the threshold and no longer than it', () => {
    const band = createPolicy({
      name: 'band',
      type: 'latency',
      thresholdMs: 100,
      upperThresholdMs: 200,
    });
    expect([100, 101, 200, 201].map((end) => band(TRACE_ID, [span(0, end)]))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});
