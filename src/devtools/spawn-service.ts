import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The repository root, from both `src/devtools` and `dist/devtools`. */
export const ROOT = path.join(__dirname, '..', '..');

export interface SpawnedService {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  /** The compiled entry point, relative to the repository root. */
  entry?: string;
  /** The module loaded with --require before it; null for none. */
  register?: string | null;
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

const running = new Set<SpawnedService>();

/** Kills every service still running; tests call it in afterAll so no process outlives its test. */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop('SIGKILL')));
}

function baseEnv(): Record<string, string | undefined> {
  // A developer's own key or collector must never leak into a test or demo run.
  const { GEMINI_API_KEY: _key, GEMINI_BASE_URL: _url, NODE_ENV: _jestSetsTest, ...rest } = process.env;
  return Object.fromEntries(Object.entries(rest).filter(([name]) => !name.startsWith('OTEL_')));
}

/**
 * Starts a built service as a real process (`node --require <register> <entry>`) on a free
 * loopback port, and resolves once it logs that it listens. Tests use it because
 * auto-instrumentation only works like this (under Jest, require hooks never fire); the demo uses
 * it to run the two services side by side.
 */
export function spawnService({
  entry = 'dist/server.js',
  register = 'dist/tracing/register.js',
  env = {},
  readyTimeoutMs = 15_000,
}: SpawnOptions = {}): Promise<SpawnedService> {
  const args = [...(register ? ['--require', path.join(ROOT, register)] : []), path.join(ROOT, entry)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...baseEnv(), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`service did not start within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`service exited with code ${code} before it was ready:\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"[^"]*listening"/.exec(output)?.[1];
      if (!url || service) return;
      clearTimeout(timer);
      service = {
        url,
        child,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          running.delete(service!);
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      };
      running.add(service);
      resolve(service);
    };
    let service: SpawnedService | undefined;
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}
