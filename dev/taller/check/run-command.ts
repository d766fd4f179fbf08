import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../process/spawn-service';
import { stepById } from '../steps';
import type { Variation } from './match-output';
import { shellWords } from './shell-words';

export interface CommandRun {
  output: string;
  variations: readonly Variation[];
}

const node = (args: string[], timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: ROOT,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0' },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        // A jest run that reports failures exits 1: its summary is still the output to compare.
        if (error && !/^Tests:/m.test(output))
          reject(new Error(`${args.join(' ')} failed: ${error.message}\n${output}`));
        else resolve(output);
      },
    );
  });

const fromRoot = (...parts: string[]) => path.join(ROOT, ...parts);

/**
 * Runs one command of the guide as a student would, on the built code (the check builds once
 * first, as each `npm run taller:*` does): `npm run taller:<step> [-- "<task>"]`,
 * `npm run demo [-- --attributes]`, `npx jest <files>`. Any other command is refused, so that a new
 * kind of command in the guide comes with a way to check it.
 */
export async function runGuideCommand(command: string): Promise<CommandRun> {
  const words = shellWords(command);
  const [tool, verb, script, ...rest] = words;
  const extra = rest[0] === '--' ? rest.slice(1) : rest;
  if (tool === 'npm' && verb === 'run' && script?.startsWith('taller:')) {
    const id = script.slice('taller:'.length);
    const step = stepById(id);
    if (!step) throw new Error(`no step ${id} in dev/taller/steps.ts`);
    const output = await node([fromRoot('dist-dev/dev/taller/run-step.js'), id, ...extra], 180_000);
    return { output, variations: step.varies ?? [] };
  }
  if (tool === 'npm' && verb === 'run' && script === 'demo')
    return {
      output: await node([fromRoot('dist-dev/dev/demo.js'), ...extra], 180_000),
      variations: [],
    };
  if (tool === 'npx' && verb === 'jest')
    return {
      output: await node([fromRoot('node_modules/jest/bin/jest.js'), ...words.slice(2)], 600_000),
      variations: [],
    };
  throw new Error(
    `the check does not know how to run \`${command}\` (dev/taller/check/run-command.ts)`,
  );
}
