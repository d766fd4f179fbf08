import { caseResult, score } from '../../../test/support/case-results';
import { createProgress } from './progress';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => void written.push(text) };
}

describe('progress', () => {
  it('on a terminal, redraws one bar with the count, the failures and the time', () => {
    const terminal = output(true);
    let now = 0;
    const progress = createProgress(4, terminal, () => now);
    now = 1500;
    progress.caseDone(caseResult('first', [score('outcome', 1)]));
    progress.caseDone(caseResult('second', [score('trajectory', 0)]));
    progress.finish();

    expect(terminal.written.at(-2)).toBe(
      '\r\x1b[2K  [############------------] 2/4 cases, 1 failing, 1.5 s',
    );
    expect(terminal.written.at(-1)).toBe('\n');
    expect(terminal.written.join('')).not.toContain('second');
  });

  it('anywhere else, writes one plain line a case: failures with what failed and their trace', () => {
    const log = output(false);
    const progress = createProgress(2, log);
    progress.caseDone(caseResult('first', [score('outcome', 1)], { durationMs: 312.4 }));
    progress.caseDone(caseResult('second', [score('outcome', 1), score('trajectory', 0)]));
    progress.finish();

    expect(log.written).toEqual([
      '  pass  first  312 ms\n',
      '  FAIL  second  trajectory  trace 0af7651916cd43dd8448eb211c80319c\n',
    ]);
    expect(log.written.join('')).not.toContain('\r');
    expect(log.written.join('')).not.toContain('\x1b');
  });
});
