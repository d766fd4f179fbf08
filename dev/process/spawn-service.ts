import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../repo-root';

export { ROOT };

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
  /**
   * The node executable; by default the one running this process. The benchmark runs the same
   * service on other Node versions side by side.
   */
  nodeExecutable?: string;
  /** Extra options for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /**
   * A port chosen by the caller: readiness is then a 200 from `/healthz`, so the service may log
   * at any level. Without it the service picks a free port and says which in its log.
   */
  port?: number;
  readyTimeoutMs?: number;
}

const running = new Set<SpawnedService>();

/** Kills every service still running; tests call it in afterAll so no process outlives its test. */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop('SIGKILL')));
}

function baseEnv(): Record<string, string | undefined> {
  // A developer's own key or collector must never leak into a test or demo run.
  const {
    GEMINI_API_KEY: _key,
    GEMINI_BASE_URL: _url,
    NODE_ENV: _callersEnvironment,
    ...rest
  } = process.env;
  const env = Object.fromEntries(
    Object.entries(rest).filter(([name]) => !name.startsWith('OTEL_')),
  );
  // No MCP server unless the caller names one: whatever listens on the default port is not ours.
  // No metrics unless asked for: every spawned service would claim the same Prometheus port.
  // NODE_ENV=test: JSON log lines, which tests and tools read (development's are short lines for
  // a person), and every trace kept, as in development.
  return { ...env, MCP_SERVER_URL: '', OTEL_METRICS_EXPORTER: 'none', NODE_ENV: 'test' };
}

/** A loopback port free right now (the usual tiny race applies). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) })).ok;
  } catch {
    return false;
  }
}

/** The start-up line, as JSON (`"url":"http://…",…,"msg":"… listening"`) or a short line. */
const LISTENING_LINE =
  /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"[^"]*listening"|listening url=(http:\/\/\S+)/;

/**
 * Starts a built service as a real process (`node --require <register> <entry>`) on a loopback
 * port, and resolves once it is ready. Tests use it because auto-instrumentation only works like
 * this (under Jest, require hooks never fire); the demo and the benchmark use it to run services
 * side by side.
 */
export function spawnService({
  entry = 'dist/server.js',
  register = 'dist/tracing/register.js',
  env = {},
  nodeExecutable = process.execPath,
  nodeArgs = [],
  port,
  readyTimeoutMs = 15_000,
}: SpawnOptions = {}): Promise<SpawnedService> {
  if (env.OTEL_METRICS_EXPORTER?.includes('prometheus') && !env.OTEL_EXPORTER_PROMETHEUS_PORT)
    return Promise.reject(
      new Error(
        'spawnService: with Prometheus metrics, pass OTEL_EXPORTER_PROMETHEUS_PORT (await freePort()): the default port may be taken',
      ),
    );
  const args = [
    ...nodeArgs,
    ...(register ? ['--require', path.join(ROOT, register)] : []),
    path.join(ROOT, entry),
  ];
  const child = spawn(nodeExecutable, args, {
    cwd: ROOT,
    env: { ...baseEnv(), HOST: '127.0.0.1', PORT: String(port ?? 0), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const collect = (chunk: Buffer) => void (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const ready = async (): Promise<string> => {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `service exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
        );
      if (port !== undefined) {
        const url = `http://127.0.0.1:${port}`;
        if (await isHealthy(url)) return url;
      } else {
        const match = LISTENING_LINE.exec(output);
        const url = match?.[1] ?? match?.[2];
        if (url) return url;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`service did not start within ${readyTimeoutMs} ms:\n${output}`);
  };

  return ready().then(
    (url) => {
      const service: SpawnedService = {
        url,
        child,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          running.delete(service);
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      };
      running.add(service);
      return service;
    },
    (error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    },
  );
}

/** The agent lists the MCP tools in the background after start-up; tasks that need them wait. */
export async function waitForMcpTools(agent: SpawnedService, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!agent.output().includes('MCP server connected')) {
    if (Date.now() > deadline)
      throw new Error(
        `the agent did not list the MCP tools within ${timeoutMs} ms:\n${agent.output()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
