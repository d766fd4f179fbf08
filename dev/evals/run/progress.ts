import type { CaseResult } from './case-result';

export interface Progress {
  caseDone(result: CaseResult): void;
  finish(): void;
}

interface Output {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 500;

/** `PASS  id  312 ms`, or `FAIL  id  trajectory, judge  trace <id>`: a line a log keeps. */
function caseLine(result: CaseResult): string {
  if (result.passed) return `  pass  ${result.id}  ${Math.round(result.durationMs)} ms`;
  const failed = result.scores.filter((score) => score.label === 'fail').map((score) => score.name);
  const trace = result.traceId ? `  trace ${result.traceId}` : '';
  return `  FAIL  ${result.id}  ${failed.join(', ') || result.failure || 'no score'}${trace}`;
}

/**
 * On a terminal, one line redrawn as cases finish: a bar, the count, the failures so far. Anywhere
 * else (CI, a pipe, a file), one plain line a case, which a log keeps and a bar would garble.
 */
export function createProgress(
  total: number,
  output: Output,
  now = () => performance.now(),
): Progress {
  const started = now();
  let done = 0;
  let failing = 0;
  const draw = () => {
    const filled = Math.round((done / Math.max(total, 1)) * BAR_WIDTH);
    const seconds = ((now() - started) / 1000).toFixed(1);
    output.write(
      `\r\x1b[2K  [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} cases, ${failing} failing, ${seconds} s`,
    );
  };
  // The clock moves while a slow case runs (the deadline case waits ten seconds).
  const ticking = output.isTTY ? setInterval(draw, REDRAW_MS) : undefined;
  ticking?.unref();
  if (output.isTTY) draw();
  return {
    caseDone(result) {
      done += 1;
      if (!result.passed) failing += 1;
      if (output.isTTY) draw();
      else output.write(`${caseLine(result)}\n`);
    },
    finish() {
      clearInterval(ticking);
      if (output.isTTY) output.write('\n');
    },
  };
}
