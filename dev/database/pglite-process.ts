import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../repo-root';

/** A PGlite server in its own process (see serve-pglite.ts), its data in a temporary directory. */
export interface PgliteProcess {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  /** Kills the process: every connection breaks, as when a database goes away. */
  stop(): Promise<void>;
  /** A new process on the same port and the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

const SERVE = path.join(ROOT, 'dist-dev/dev/database/serve-pglite.js');
const STARTUP_TIMEOUT_MS = 60_000;
/**
 * Creating a database (PGlite's initdb) takes 5 to 30 s on a busy two-core machine; opening an
 * existing one, a few. One fresh database is made once per machine and copied for each server.
 */
const TEMPLATE_DIR = path.join(tmpdir(), 'traced-agent-pglite-0.5.14');

function launch(port: number, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [SERVE, String(port), dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PGlite did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (\d+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      resolve({ child, port: Number(listening[1]) });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PGlite exited (${code}) before it was ready:\n${output}`));
    });
  });
}

function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

async function templateDir(): Promise<string> {
  if (existsSync(TEMPLATE_DIR)) return TEMPLATE_DIR;
  const fresh = mkdtempSync(path.join(tmpdir(), 'pglite-template-'));
  const { child } = await launch(0, fresh);
  // A clean shutdown, so that the copy needs no recovery.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
  try {
    renameSync(fresh, TEMPLATE_DIR);
  } catch {
    // Another test file made it first: theirs is as good.
    rmSync(fresh, { recursive: true, force: true });
  }
  return TEMPLATE_DIR;
}

export async function startPglite(): Promise<PgliteProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pglite-'));
  cpSync(await templateDir(), dataDir, { recursive: true });
  let { child, port } = await launch(0, dataDir);
  let current: ChildProcess | undefined = child;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await kill(current);
      current = undefined;
    },
    async start() {
      if (current) return;
      ({ child, port } = await launch(port, dataDir));
      current = child;
    },
    async close() {
      await kill(current);
      current = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
