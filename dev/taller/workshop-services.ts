import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ROOT, spawnService, type SpawnedService } from '../process/spawn-service';

/** The three services of the workshop, as `npm start`, `start:subagent` and `start:tools` run them. */
export const SERVICES = {
  agent: { name: 'agent-service', entry: 'dist/server.js', register: 'dist/tracing/register.js' },
  subAgent: {
    name: 'sub-agent-service',
    entry: 'dist/subagent/server.js',
    register: 'dist/subagent/register.js',
  },
  tools: {
    name: 'tool-service',
    entry: 'dist/toolservice/server.js',
    register: 'dist/toolservice/register.js',
  },
} as const;

export type ServiceKind = keyof typeof SERVICES;

export interface WorkshopService {
  readonly name: string;
  readonly url: string;
  /** `taller/<file>.env` when the step's variables come from one, as the student can read them. */
  readonly envFile: string | undefined;
  /** The variables of the env file. */
  readonly variables: Readonly<Record<string, string>>;
  readonly process: SpawnedService;
}

/** The variables of an env file of `taller/`, as `node --env-file` reads them. */
function readEnvFile(file: string): Record<string, string> {
  const variables = parseEnv(readFileSync(path.join(ROOT, file), 'utf8'));
  return Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export interface StartOptions {
  kind: ServiceKind;
  envFile?: string;
  /** Wiring between the services (their URLs, the receiver's endpoint): free ports, so set here. */
  wiring?: Record<string, string>;
}

/**
 * Starts a built service as the student would, on a free loopback port so that it never clashes
 * with one they started themselves (nor with 9464, metrics are off): the development console
 * (`NODE_ENV` unset), unless the env file says otherwise.
 */
export async function startWorkshopService({
  kind,
  envFile,
  wiring = {},
}: StartOptions): Promise<WorkshopService> {
  const { name, entry, register } = SERVICES[kind];
  const variables = envFile ? readEnvFile(envFile) : {};
  const spawned = await spawnService({
    entry,
    register,
    env: { NODE_ENV: 'development', ...variables, ...wiring },
  });
  return { name, url: spawned.url, envFile, variables, process: spawned };
}

/** `agent-service (taller/1.1.env: NODE_ENV=production)`, or `agent-service` alone. */
export function describeService({ name, envFile, variables }: WorkshopService): string {
  const settings = Object.entries(variables).map(([key, value]) => `${key}=${value}`);
  return envFile ? `${name} (${envFile}: ${settings.join(' ')})` : name;
}
