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
  // `npm run check:taller -- 2.1` checks only the commands that contain `2.1`, and not README.
  const only = process.argv[2];
  for (const pair of guide.pairs.filter((candidate) => !only || candidate.command.includes(only))) {
    const started = performance.now();
    let run = runs.get(pair.command);
    const again = run !== undefined;
    try {
      run ??= await runGuideCommand(pair.command);
      runs.set(pair.command, run);
    } catch (error) {
      failures.push(`docs/taller.md line ${pair.line}: ${(error as Error).message}`);
      print(`✗ ${pair.command}`);
      continue;
    }
    const seconds = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    const { matches, problems } = compareOutput(pair.output, run.output, run.variations);
    print(
      `${matches ? '✓' : '✗'} ${pair.command}  (${pair.heading}; ${again ? 'the same run' : seconds})`,
    );
    if (!matches) {
      failures.push(
        `docs/taller.md line ${pair.line}, \`${pair.command}\`: ${problems.join('; ')}`,
      );
      print(indent(`what it printed:\n${run.output}`));
    }
  }
  if (only) return report(failures, `the commands with "${only}"`);
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
  report(
    failures,
    `docs/taller.md: ${guide.pairs.length} outputs as shown; README's quick start too`,
  );
}

function report(failures: readonly string[], success: string): void {
  print();
  if (failures.length) {
    print(`${failures.length} problem(s):`);
    for (const failure of failures) print(`- ${failure}`);
    process.exit(1);
  }
  print(`${success}.`);
}

main().catch((error: unknown) => {
  process.stderr.write(`check failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
