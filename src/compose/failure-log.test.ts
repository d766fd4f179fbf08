import pino from 'pino';
import { failureLog } from './failure-log';

const MINUTE = 60_000;

/** What a failing `pg` query throws, by SQLSTATE or by the socket's errno code. */
const failure = (message: string, code?: string) => Object.assign(new Error(message), { code });
const NUL_IN_TEXT = failure('invalid byte sequence for encoding "UTF8": 0x00', '22021');
const REFUSED = failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
const TERMINATED = failure('Connection terminated unexpectedly');

function logOf() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  let time = 0;
  const log = failureLog(logger, 'Memory is unavailable', {
    intervalMs: MINUTE,
    now: () => time,
  });
  const at = (ms: number, error: Error) => {
    time = ms;
    log(error, 'write');
  };
  const logged = () =>
    lines.map((line) => [line.failure, line.suppressedSinceLast, (line.err as Error).message]);
  return { at, logged };
}

describe('failureLog', () => {
  it('says a repeated failure once a minute, with how many it left out', () => {
    const { at, logged } = logOf();
    for (const ms of [0, 1_000, 30_000, 59_999, MINUTE, MINUTE + 1]) at(ms, REFUSED);

    expect(logged()).toEqual([
      ['ECONNREFUSED', 0, REFUSED.message],
      ['ECONNREFUSED', 3, REFUSED.message],
    ]);
  });

  it('names a new kind of failure at once: one odd failure never hides an outage after it', () => {
    const { at, logged } = logOf();
    at(0, NUL_IN_TEXT);
    at(25_000, REFUSED);
    at(26_000, TERMINATED);
    at(27_000, REFUSED);

    expect(logged()).toEqual([
      ['22021', 0, NUL_IN_TEXT.message],
      ['ECONNREFUSED', 0, REFUSED.message],
      ['Error: Connection terminated unexpectedly', 0, TERMINATED.message],
    ]);
  });

  it('limits each kind on its own, so that kinds taking turns do not log every failure', () => {
    const { at, logged } = logOf();
    for (let second = 0; second < 120; second += 1)
      at(second * 1_000, second % 2 ? REFUSED : TERMINATED);

    expect(logged()).toEqual([
      ['Error: Connection terminated unexpectedly', 0, TERMINATED.message],
      ['ECONNREFUSED', 0, REFUSED.message],
      ['Error: Connection terminated unexpectedly', 29, TERMINATED.message],
      ['ECONNREFUSED', 29, REFUSED.message],
    ]);
  });
});
