import { z } from 'zod';
import {
  ConfigError,
  envEnum,
  envIntInRange,
  envPositiveInt,
  envSecretList,
  envString,
  envUrl,
  parseEnv,
} from './env';
import { LIMITS } from './limits';
import { GEMINI_SDKS, type GeminiSdk } from './models/gemini-sdk';
import { DEFAULT_PRICING_TABLE, readPricingFile, type PricingTable } from './models/model-pricing';
import {
  AGENT_SERVICE_DEFAULTS,
  DEFAULT_HOST,
  SUB_AGENT_SERVICE_DEFAULTS,
  TOOL_SERVICE_DEFAULTS,
  type ServiceDefaults,
} from './service-defaults';
import {
  loadTracingConfig,
  TRACING_VARIABLE_NAMES,
  type TracingConfig,
} from './tracing/setup/tracing-config';

/**
 * All configuration comes from the environment, is parsed once at start-up, and is documented in
 * the README's configuration table. What tracing reads is parsed by the tracing layer
 * (src/tracing/setup/tracing-config.ts), which the `--require` preload uses alone; this module adds the
 * application's own variables.
 */

function applicationVariables(defaults: ServiceDefaults) {
  return {
    PORT: envIntInRange(0, 65535, defaults.port),
    HOST: z.string().default(DEFAULT_HOST),
    LOG_LEVEL: envEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    GEMINI_API_KEY: envString,
    GEMINI_BASE_URL: envString.pipe(envUrl.optional()),
    GEMINI_MODEL: z.string().min(1).default('gemini-2.0-flash'),
    GEMINI_SDK: envEnum(GEMINI_SDKS, 'generative-ai'),
    MODEL_TIMEOUT_MS: envPositiveInt(LIMITS.modelTimeoutMs),
    TOOL_TIMEOUT_MS: envPositiveInt(LIMITS.toolTimeoutMs),
    MEMORY_MAX_SESSIONS: envPositiveInt(LIMITS.memoryMaxSessions),
    MEMORY_MAX_TURNS: envPositiveInt(LIMITS.memoryMaxTurns),
    MEMORY_MAX_SESSION_CHARS: envPositiveInt(LIMITS.memoryMaxSessionChars),
    MEMORY_MAX_TOTAL_CHARS: envPositiveInt(LIMITS.memoryMaxTotalChars),
    MEMORY_MAX_TURNS_PER_USER: envPositiveInt(LIMITS.memoryMaxTurnsPerUser),
    DATABASE_URL: envString,
    DATABASE_POOL_SIZE: envPositiveInt(LIMITS.databasePoolSize),
    DATABASE_STATEMENT_TIMEOUT_MS: envPositiveInt(LIMITS.databaseStatementTimeoutMs),
    DATABASE_CONNECT_TIMEOUT_MS: envPositiveInt(LIMITS.databaseConnectTimeoutMs),
    EMULATOR_LATENCY_MS: envIntInRange(0, 600_000, 0),
    SUB_AGENT_URL: envUrl.default(`http://localhost:${SUB_AGENT_SERVICE_DEFAULTS.port}`),
    SUB_AGENT_TIMEOUT_MS: envPositiveInt(LIMITS.subAgentTimeoutMs),
    SUB_AGENT_API_KEY: envString,
    MCP_SERVER_URL: envUrl.default(`http://localhost:${TOOL_SERVICE_DEFAULTS.port}/mcp`),
    MCP_API_KEY: envString,
    REQUEST_TIMEOUT_MS: envPositiveInt(LIMITS.requestTimeoutMs),
    MAX_MODEL_CALLS: envPositiveInt(LIMITS.maxModelCalls),
    MODEL_MAX_ATTEMPTS: envPositiveInt(LIMITS.modelMaxAttempts),
    MAX_TOOL_RESULT_CHARS: envPositiveInt(LIMITS.maxToolResultChars),
    SHUTDOWN_TIMEOUT_MS: envPositiveInt(LIMITS.shutdownTimeoutMs),
    AGENT_API_KEYS: envSecretList,
    RATE_LIMIT_PER_MINUTE: envIntInRange(0, 1_000_000, 0),
    MAX_CONCURRENT_RUNS: envPositiveInt(LIMITS.maxConcurrentRuns),
    MODEL_PRICING_FILE: envString,
  };
}

/** Every variable this service reads itself (the SDK reads more `OTEL_*` ones on its own). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...new Set([
    ...Object.keys(applicationVariables(AGENT_SERVICE_DEFAULTS)),
    ...TRACING_VARIABLE_NAMES,
  ]),
];

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
  toolTimeoutMs: number;
  requestTimeoutMs: number;
  maxModelCalls: number;
  modelMaxAttempts: number;
  maxToolResultChars: number;
  shutdownTimeoutMs: number;
  /**
   * Empty: the API is open (a warning is logged at start-up). Else `AGENT_API_KEYS` and
   * `INTERNAL_API_KEYS`.
   */
  apiKeys: string[];
  rateLimitPerMinute: number;
  /** Agent runs in flight in this process; beyond it, 503 overloaded. */
  maxConcurrentRuns: number;
  subAgent: { url: string; timeoutMs: number; apiKey: string | undefined };
  /** `url` undefined: no MCP server (`MCP_SERVER_URL` set to the empty string). */
  mcp: { url: string | undefined; apiKey: string | undefined };
  memory: {
    maxSessions: number;
    maxTurnsPerSession: number;
    maxCharsPerSession: number;
    maxTotalChars: number;
    maxTurnsPerUser: number;
  };
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
    () => parseEnv(applicationVariables(defaults), env),
  );
  return {
    port: vars.PORT,
    host: vars.HOST,
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
    toolTimeoutMs: vars.TOOL_TIMEOUT_MS,
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    maxModelCalls: vars.MAX_MODEL_CALLS,
    modelMaxAttempts: vars.MODEL_MAX_ATTEMPTS,
    maxToolResultChars: vars.MAX_TOOL_RESULT_CHARS,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
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
    memory: {
      maxSessions: vars.MEMORY_MAX_SESSIONS,
      maxTurnsPerSession: vars.MEMORY_MAX_TURNS,
      maxCharsPerSession: vars.MEMORY_MAX_SESSION_CHARS,
      maxTotalChars: vars.MEMORY_MAX_TOTAL_CHARS,
      maxTurnsPerUser: vars.MEMORY_MAX_TURNS_PER_USER,
    },
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
