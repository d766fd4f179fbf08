import { ConfigError } from './env';
import { LIMITS } from './limits';
import { DEFAULT_PRICING_TABLE, readPricingFile, type PricingTable } from './models/model-pricing';
import { AGENT_SERVICE_DEFAULTS, DEFAULT_HOST, type ServiceDefaults } from './service-defaults';
import { loadTracingConfig, type TracingConfig } from './tracing/setup/tracing-config';
import { APPLICATION_VARIABLE_NAMES, parseVariables, type GeminiSdk } from './variables';

/**
 * All configuration comes from the environment, is checked by one schema (src/variables.ts) at
 * start-up, and is documented in the generated table of docs/configuration.md. What tracing reads is read as
 * the `--require` preload reads it (src/tracing/setup/tracing-config.ts), the same function on the
 * same variables; this module adds the application's own.
 */

export interface AppConfig {
  port: number;
  host: string;
  logLevel: string;
  agentName: string;
  gemini: {
    /** Undefined means offline mode: the built-in emulator stands in for the API. */
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    /** Which SDK calls the API (`GEMINI_SDK`). */
    sdk: GeminiSdk;
    timeoutMs: number;
    emulatorLatencyMs: number;
  };
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** SIGTERM: how long the listener goes on answering, `/readyz` at 503, before it stops. */
  shutdownDrainDelayMs: number;
  /**
   * Empty: the API is open (a warning is logged at start-up). Else `AGENT_API_KEYS` and
   * `INTERNAL_API_KEYS`.
   */
  apiKeys: string[];
  rateLimitPerMinute: number;
  /** The cap on runs in flight in this process; undefined: derived from its memory. */
  maxConcurrentRuns: number | undefined;
  subAgent: { url: string; timeoutMs: number; apiKey: string | undefined };
  /** `url` undefined: no MCP server (`MCP_SERVER_URL` set to the empty string). */
  mcp: { url: string | undefined; apiKey: string | undefined };
  memory: { maxTurnsPerSession: number };
  /** Undefined: memory in the process (`DATABASE_URL` unset). */
  database: {
    url: string | undefined;
    poolSize: number;
    statementTimeoutMs: number;
    /** Waiting for a connection, from the pool or a new one. */
    connectTimeoutMs: number;
  };
  tracing: TracingConfig;
  /** Model prices, from `MODEL_PRICING_FILE`, else the table in the repository. */
  pricing: PricingTable;
}

function collectConfigErrors<A, B>(first: () => A, second: () => B): [A, B] {
  const outcomes = [first, second].map((read) => {
    try {
      return { value: read() as unknown };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { problem: error.message.replace(/^Invalid configuration: /, '') };
    }
  });
  const problems = outcomes.flatMap((outcome) => ('problem' in outcome ? [outcome.problem] : []));
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return outcomes.map((outcome) => ('value' in outcome ? outcome.value : undefined)) as [A, B];
}

/** Reads and checks every variable; throws a `ConfigError` whose message is one line. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  defaults: ServiceDefaults = AGENT_SERVICE_DEFAULTS,
): AppConfig {
  // Both parts are checked before either fails, so that one message names every bad variable.
  const [tracing, vars] = collectConfigErrors(
    () => loadTracingConfig(env, defaults),
    () => parseVariables(env, APPLICATION_VARIABLE_NAMES),
  );
  return {
    port: vars.PORT ?? defaults.port,
    host: vars.HOST ?? DEFAULT_HOST,
    logLevel: vars.LOG_LEVEL,
    agentName: defaults.agentName,
    gemini: {
      apiKey: vars.GEMINI_API_KEY,
      baseUrl: vars.GEMINI_BASE_URL,
      model: vars.GEMINI_MODEL,
      sdk: vars.GEMINI_SDK,
      timeoutMs: vars.MODEL_TIMEOUT_MS,
      emulatorLatencyMs: vars.EMULATOR_LATENCY_MS,
    },
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    // A load balancer needs the delay; a developer's Ctrl+C on a laptop does not.
    shutdownDrainDelayMs:
      vars.SHUTDOWN_DRAIN_DELAY_MS ??
      (tracing.environment === 'production' ? LIMITS.shutdownDrainDelayMs : 0),
    apiKeys: vars.AGENT_API_KEYS.length
      ? [...new Set([...vars.AGENT_API_KEYS, ...tracing.internalApiKeys])]
      : [],
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    maxConcurrentRuns: vars.MAX_CONCURRENT_RUNS,
    subAgent: {
      url: vars.SUB_AGENT_URL,
      timeoutMs: vars.SUB_AGENT_TIMEOUT_MS,
      apiKey: vars.SUB_AGENT_API_KEY,
    },
    // The one variable where empty differs from unset: unset means the default server, empty means
    // none.
    mcp: {
      url: env.MCP_SERVER_URL?.trim() === '' ? undefined : vars.MCP_SERVER_URL,
      apiKey: vars.MCP_API_KEY,
    },
    memory: { maxTurnsPerSession: vars.MEMORY_MAX_TURNS },
    database: {
      url: vars.DATABASE_URL,
      poolSize: vars.DATABASE_POOL_SIZE,
      statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: vars.DATABASE_CONNECT_TIMEOUT_MS,
    },
    tracing,
    pricing: vars.MODEL_PRICING_FILE
      ? readPricingFile(vars.MODEL_PRICING_FILE)
      : DEFAULT_PRICING_TABLE,
  };
}
