import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSpanCounter } from '../otlp/span-counter';
import type { BenchResults } from './report';

/**
 * The cost of one span (`span-cost.ts`), measured in a process of its own on the given node, with
 * its spans exported to a span counter in this one (whose decoding is not counted).
 */
export async function measureSpanCost({
  spans,
  nodeExecutable = process.execPath,
  nodeArgs = [],
}: {
  spans: number;
  nodeExecutable?: string;
  nodeArgs?: string[];
}): Promise<BenchResults['spanCost']> {
  const receiver = await startSpanCounter();
  try {
    const { stdout } = await promisify(execFile)(nodeExecutable, [
      ...nodeArgs,
      path.join(__dirname, 'span-cost.js'),
      receiver.endpoint,
      String(spans),
    ]);
    return JSON.parse(stdout) as BenchResults['spanCost'];
  } finally {
    await receiver.stop();
  }
}
