/**
 * `npm run check:taller` (CI runs it): every command of docs/taller.md that shows an output is run
 * as a student runs it, and what the guide shows is compared with what it printed
 * (check/match-output.ts says how: same lines, names and counts; durations, ids and the numbers a
 * step declares as varying are set aside). README's quick start is checked the same way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../process/spawn-service';
import { readGuide } from './check/guide-pairs';
import { compareOutput } from './check/match-output';
import { readQuickStart, runQuickStart } from './check/readme-quick-start';
import { runGuideCommand, type CommandRun } from './check/run-command';

const print = (line = '') => process.stdout.write(`${line}\n`);
const indent = (text: string) => text.replace(/^/gm, '    ');

async function main(): Promise<void> {
  const failures: string[] = [];
  const guide = readGuide(readFileSync(path.join(ROOT, 'docs', 'taller.md'), 'utf8'));
  for (const problem of guide.problems) failures.push(`docs/taller.md ${problem}`);
  const runs = new Map<string, CommandRun>();
  for (const pair of guide.pairs) {
    const started = performance.now();
    let run = runs.get(pair.command);
    try {
      run ??= await runGuideCommand(pair.command);
      runs.set(pair.command, run);
    } catch (error) {
      failures.push(`docs/taller.md line ${pair.line}: ${(error as Error).message}`);
      print(`✗ ${pair.command}`);
      continue;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const { matches, problems } = compareOutput(pair.output, run.output, run.variations);
    print(`${matches ? '✓' : '✗'} ${pair.command}  (${pair.heading}; ${seconds} s)`);
    if (!matches) {
      failures.push(
        `docs/taller.md line ${pair.line}, \`${pair.command}\`: ${problems.join('; ')}`,
      );
      print(indent(`what it printed:\n${run.output}`));
    }
  }
  try {
    const quickStart = readQuickStart(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const output = await runQuickStart(quickStart);
    const { matches, problems } = compareOutput(quickStart.shown, output);
    print(`${matches ? '✓' : '✗'} README: npm start, then ${quickStart.curl.slice(0, 60)}…`);
    if (!matches) {
      failures.push(`README's quick start: ${problems.join('; ')}`);
      print(indent(`what it printed:\n${output}`));
    }
  } catch (error) {
    failures.push(`README's quick start: ${(error as Error).message}`);
  }
  print();
  if (failures.length) {
    print(`${failures.length} problem(s):`);
    for (const failure of failures) print(`- ${failure}`);
    process.exit(1);
  }
  print(`docs/taller.md: ${guide.pairs.length} outputs as shown; README's quick start too.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`check failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
