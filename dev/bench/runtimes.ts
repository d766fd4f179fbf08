import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A Node version, with options, that the service is measured on (`npm run bench:runtimes`). */
export interface Runtime {
  /** How `--runtimes` names it. */
  id: string;
  title: string;
  /** Exact, so that a rerun measures the same binary. */
  version: string;
  nodeArgs: string[];
}

/**
 * The runtimes users run: the target, the line before it, the floor OpenTelemetry JS 3 allows, and
 * Node 22 with AsyncContextFrame (AsyncLocalStorage without async hooks), the default from 24 on.
 */
export const RUNTIMES: readonly Runtime[] = [
  { id: '26', title: 'Node 26 (Active LTS, the target)', version: '26.12.1', nodeArgs: [] },
  { id: '24', title: 'Node 24 (maintenance)', version: '24.22.3', nodeArgs: [] },
  { id: '22', title: 'Node 22 (maintenance)', version: '22.23.5', nodeArgs: [] },
  {
    id: '22-acf',
    title: 'Node 22 with AsyncContextFrame',
    version: '22.23.5',
    nodeArgs: ['--experimental-async-context-frame'],
  },
  { id: '22.15', title: 'Node 22.15.0 (the floor)', version: '22.15.0', nodeArgs: [] },
];

/** `--quick`: two runtimes that differ in version and in options, so both reach the services. */
export const QUICK_RUNTIMES = ['26', '22-acf'];

export interface RuntimeProbe {
  /** `process.version` as the binary reports it. */
  version: string;
  /** Whether its AsyncLocalStorage runs on AsyncContextFrame rather than async hooks. */
  asyncContextFrame: boolean;
}

// Node's async-hooks AsyncLocalStorage has a `_propagate` method (its promise hook); the
// AsyncContextFrame one has none. Internal, but it is what the options really switched on.
const PROBE = `const { AsyncLocalStorage } = require('node:async_hooks');
process.stdout.write(JSON.stringify({
  version: process.version,
  asyncContextFrame: !('_propagate' in AsyncLocalStorage.prototype),
}));`;

/** Asks the binary, with the runtime's options, what it is: measured, not assumed. */
export async function probeRuntime(node: string, nodeArgs: string[]): Promise<RuntimeProbe> {
  const { stdout } = await promisify(execFile)(node, [...nodeArgs, '-e', PROBE]);
  return JSON.parse(stdout) as RuntimeProbe;
}
