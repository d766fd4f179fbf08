import { spawn } from 'node:child_process';
import { ROOT } from '../../dev/repo-root';

export interface EvalCommand {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Long enough for a small subset of cases; the command is killed past it. */
const COMMAND_TIMEOUT_MS = 90_000;

/**
 * `npm run eval -- <args>` as CI runs it (built, stdout not a terminal), with no key, no collector
 * and no OTEL_* of the developer's: only what `env` gives.
 */
export function runEval(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<EvalCommand> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('OTEL_') && !name.startsWith('GEMINI_') && name !== 'NODE_ENV',
    ),
  );
  const child = spawn(process.execPath, ['dist-dev/dev/evals/run-eval.js', ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
