import type { ReceivedSpan } from '../decode';
import { TailSampler } from './tail-sampler';

const MS = 1_000_000n;

function span(traceId: string, spanId: string, options: { error?: boolean; endMs?: number } = {}) {
  return {
    traceId,
    spanId,
    startTimeUnixNano: 0n,
    endTimeUnixNano: BigInt(options.endMs ?? 10) * MS,
    status: { code: options.error ? 'ERROR' : 'UNSET', message: '' },
  } as ReceivedSpan;
}

const sampler = () =>
  new TailSampler({
    decisionWaitMs: 10_000,
    policies: [
      { name: 'keep-every-error', type: 'status_code', statusCodes: ['ERROR'] },
      { name: 'keep-slow-traces', type: 'latency', thresholdMs: 2000, upperThresholdMs: 0 },
      {
        name: 'keep-none-of-the-rest',
        type: 'probabilistic',
        samplingPercentage: 0,
        hashSalt: 's',
      },
    ],
  });

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('TailSampler', () => {
  it('decides each trace a decision wait after its first span, on every span received by then', () => {
    const tail = sampler();
    tail.add([span('a'.repeat(32), '1')]);
    jest.advanceTimersByTime(9_000);
    // The error arrives in a later export, from another process, before the wait is over.
    tail.add([span('a'.repeat(32), '2', { error: true })]);
    expect(tail.decisions).toEqual([]);
    jest.advanceTimersByTime(1_000);
    expect(tail.decisions).toEqual([
      {
        traceId: 'a'.repeat(32),
        spans: [expect.anything(), expect.anything()],
        keptBy: 'keep-every-error',
      },
    ]);
  });

  it('names the first policy that keeps a trace, and none for a trace it drops', () => {
    const tail = sampler();
    tail.add([span('b'.repeat(32), '1', { endMs: 2500, error: true })]);
    tail.add([span('c'.repeat(32), '1', { endMs: 2500 })]);
    tail.add([span('d'.repeat(32), '1')]);
    jest.advanceTimersByTime(10_000);
    expect(tail.decisions.map(({ traceId, keptBy }) => [traceId[0], keptBy])).toEqual([
      ['b', 'keep-every-error'],
      ['c', 'keep-slow-traces'],
      ['d', undefined],
    ]);
  });

  it('counts a span that arrives after its trace was decided as late, and does not decide again', () => {
    const tail = sampler();
    tail.add([span('e'.repeat(32), '1')]);
    jest.advanceTimersByTime(10_000);
    tail.add([span('e'.repeat(32), '2', { error: true })]);
    jest.advanceTimersByTime(10_000);
    expect(tail.decisions).toHaveLength(1);
    expect(tail.decisions[0]!.keptBy).toBeUndefined();
    expect(tail.lateSpans).toBe(1);
  });

  it('says when the traces asked about are decided, even those whose spans have not arrived yet', async () => {
    const tail = sampler();
    const [first, second] = ['f'.repeat(32), '0'.repeat(32)];
    let decided = false;
    const done = tail.whenDecided([first, second]).then(() => (decided = true));
    tail.add([span(first, '1')]);
    jest.advanceTimersByTime(5_000);
    tail.add([span(second, '1')]);
    jest.advanceTimersByTime(5_000);
    await Promise.resolve();
    expect(decided).toBe(false);
    jest.advanceTimersByTime(5_000);
    await done;
    expect(tail.decisions.map((decision) => decision.traceId)).toEqual([first, second]);
  });

  it('gives up waiting after its timeout, naming the traces that never arrived', async () => {
    const tail = sampler();
    const [arrived, lost] = ['a'.repeat(32), 'b'.repeat(32)];
    const waited = tail.whenDecided([arrived, lost], 60_000);
    tail.add([span(arrived, '1')]);
    jest.advanceTimersByTime(60_000);
    await expect(waited).rejects.toThrow(
      `1 of 2 traces undecided after 60000 ms, 1 of them never received (${lost})`,
    );
  });
});
