import { z } from 'zod';
import { LIMITS } from './limits';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH } from './tracing/sanitize';
import { chooseSampler, SamplerSettingError, type SamplerSetting } from './tracing/sampler-setting';

/**
 * All configuration comes from the environment, is parsed once, here, and is documented in the
 * README's configuration table. Standard `OTEL_*` variables keep their standard meaning; the ones
 * the OpenTelemetry SDK reads itself (batch processor, resource attributes, exporter
 * endpoint details) are left to it and only listed here when we need their value too.
 */

/** As the OpenTelemetry spec reads booleans: case-insensitive `true` (or `1`); anything else is false. */
const booleanFromEnv = z
  .string()
  .optional()
  .transform((value) => ['true', '1'].includes(value?.trim().toLowerCase() ?? ''));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() ? value.trim() : undefined));

/** Durations and sizes; capped at what `setTimeout` can wait (a larger delay would fire at once). */
const positiveInt = (fallback: number) => z.coerce.number().int().positive().max(2_147_483_647).default(fallback);

const listFromEnv = z
  .string()
  .optional()
  .transform((value) =>
    value
      ?.split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

/** Comma-separated secrets: trimmed, case kept. */
const secretList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export interface ServiceDefaults {
  serviceName: string;
  port: number;
  agentName: string;
}

export const AGENT_SERVICE_DEFAULTS: ServiceDefaults = { serviceName: 'agent-service', port: 8080, agentName: 'traced-agent' };
export const SUB_AGENT_SERVICE_DEFAULTS: ServiceDefaults = { serviceName: 'sub-agent-service', port: 8081, agentName: 'traced-sub-agent' };
/** The MCP tool service runs no agent: `agentName` is only its MCP server name. */
export const TOOL_SERVICE_DEFAULTS: ServiceDefaults = { serviceName: 'tool-service', port: 8082, agentName: 'tool-service' };

export const DEFAULT_PROPAGATORS = ['b3multi', 'tracecontext', 'baggage'];

function schemaFor(defaults: ServiceDefaults) {
  return z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(defaults.port),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NODE_ENV: z.string().default('development'),
    GEMINI_API_KEY: optionalString,
    GEMINI_BASE_URL: optionalString.pipe(z.url().optional()),
    GEMINI_MODEL: z.string().min(1).default('gemini-2.0-flash'),
    MODEL_TIMEOUT_MS: positiveInt(LIMITS.modelTimeoutMs),
    TOOL_TIMEOUT_MS: positiveInt(LIMITS.toolTimeoutMs),
    MEMORY_MAX_SESSIONS: positiveInt(LIMITS.memoryMaxSessions),
    MEMORY_MAX_TURNS: positiveInt(LIMITS.memoryMaxTurns),
    MEMORY_MAX_SESSION_CHARS: positiveInt(LIMITS.memoryMaxSessionChars),
    MEMORY_MAX_TOTAL_CHARS: positiveInt(LIMITS.memoryMaxTotalChars),
    EMULATOR_LATENCY_MS: z.coerce.number().int().min(0).default(0),
    SUB_AGENT_URL: z.url().default(`http://localhost:${SUB_AGENT_SERVICE_DEFAULTS.port}`),
    SUB_AGENT_TIMEOUT_MS: positiveInt(LIMITS.subAgentTimeoutMs),
    SUB_AGENT_API_KEY: optionalString,
    MCP_SERVER_URL: z.url().default(`http://localhost:${TOOL_SERVICE_DEFAULTS.port}/mcp`),
    MCP_API_KEY: optionalString,
    REQUEST_TIMEOUT_MS: positiveInt(LIMITS.requestTimeoutMs),
    MAX_MODEL_CALLS: positiveInt(LIMITS.maxModelCalls),
    MODEL_MAX_ATTEMPTS: positiveInt(LIMITS.modelMaxAttempts),
    MAX_TOOL_RESULT_CHARS: positiveInt(LIMITS.maxToolResultChars),
    SHUTDOWN_TIMEOUT_MS: positiveInt(LIMITS.shutdownTimeoutMs),
    AGENT_API_KEYS: secretList,
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
    INTERNAL_API_KEYS: secretList,
    TRACE_CONTEXT_TRUST: z.enum(['all', 'internal']).default('all'),
    MAX_CONCURRENT_RUNS: positiveInt(LIMITS.maxConcurrentRuns),
    OTEL_SERVICE_NAME: z.string().min(1).default(defaults.serviceName),
    OTEL_SDK_DISABLED: booleanFromEnv,
    OTEL_TRACES_EXPORTER: listFromEnv,
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString,
    OTEL_PROPAGATORS: listFromEnv,
    PROPAGATE_TO_MODEL_API: booleanFromEnv,
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: listFromEnv,
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: booleanFromEnv,
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: positiveInt(DEFAULT_MAX_ATTRIBUTE_LENGTH),
    // Workshop exercises 1 and 2: sampling, the minimum-duration filter, the tree printer's attributes.
    OTEL_TRACES_SAMPLER: optionalString,
    OTEL_TRACES_SAMPLER_ARG: optionalString,
    SPAN_MIN_DURATION_MS: z.coerce.number().min(0).default(0),
    TRACE_TREE_ATTRIBUTES: booleanFromEnv,
  });
}

/** Every variable this service reads itself (the SDK reads more `OTEL_*` ones on its own). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schemaFor(AGENT_SERVICE_DEFAULTS).shape);

export type TracesExporterName = 'otlp' | 'console' | 'none';

export interface TracingConfig {
  serviceName: string;
  environment: string;
  sdkDisabled: boolean;
  exporters: TracesExporterName[];
  /** From `OTEL_PROPAGATORS`, else our default. */
  propagators: string[];
  /** Whether calls to the model API carry trace headers and baggage (for a traced gateway of your own). */
  propagateToModelApi: boolean;
  /** Of http, express, undici, pino: the ones `OTEL_NODE_DISABLED_INSTRUMENTATIONS` turns off. */
  disabledInstrumentations: string[];
  captureMessageContent: boolean;
  maxAttributeLength: number;
  /** `all`: every caller's trace context and baggage are continued; `internal`: only those of callers with an internal key. */
  contextTrust: 'all' | 'internal';
  /** From `OTEL_TRACES_SAMPLER` / `_ARG`, else by `NODE_ENV`. */
  sampler: SamplerSetting;
  /** Spans shorter than this are not exported (0: all are); see minimum-duration-span-processor.ts. */
  spanMinDurationMs: number;
  /** The tree printer shows each span's attributes. */
  treeAttributes: boolean;
}

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
    timeoutMs: number;
    emulatorLatencyMs: number;
  };
  toolTimeoutMs: number;
  requestTimeoutMs: number;
  maxModelCalls: number;
  modelMaxAttempts: number;
  maxToolResultChars: number;
  shutdownTimeoutMs: number;
  /** Empty: the API is open (a warning is logged at start-up). Else `AGENT_API_KEYS` and `INTERNAL_API_KEYS`. */
  apiKeys: string[];
  /** Keys of our own services (`INTERNAL_API_KEYS`): their trace context is trusted. */
  internalApiKeys: string[];
  rateLimitPerMinute: number;
  /** Agent runs in flight in this process; beyond it, 503 overloaded. */
  maxConcurrentRuns: number;
  subAgent: { url: string; timeoutMs: number; apiKey: string | undefined };
  /** `url` undefined: no MCP server (`MCP_SERVER_URL` set to the empty string). */
  mcp: { url: string | undefined; apiKey: string | undefined };
  memory: { maxSessions: number; maxTurnsPerSession: number; maxCharsPerSession: number; maxTotalChars: number };
  tracing: TracingConfig;
}

function chooseExporters(requested: string[] | undefined, otlpEndpoint: string | undefined): TracesExporterName[] {
  if (!requested?.length) return otlpEndpoint ? ['otlp'] : ['console'];
  const known = requested.filter((name): name is TracesExporterName => ['otlp', 'console', 'none'].includes(name));
  if (known.includes('none')) return ['none'];
  return known.length ? [...new Set(known)] : ['console'];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function samplerFrom(sampler: string | undefined, arg: string | undefined, environment: string): SamplerSetting {
  try {
    return chooseSampler({ sampler, arg, environment });
  } catch (error) {
    if (error instanceof SamplerSettingError) throw new ConfigError(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: ServiceDefaults = AGENT_SERVICE_DEFAULTS): AppConfig {
  // An empty variable (`PORT=`) means "not set", as in the OpenTelemetry spec, not "0" or "".
  const setVariables = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schemaFor(defaults).safeParse(setVariables);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const vars = parsed.data;
  const sampler = samplerFrom(vars.OTEL_TRACES_SAMPLER, vars.OTEL_TRACES_SAMPLER_ARG, vars.NODE_ENV);
  return {
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    agentName: defaults.agentName,
    gemini: {
      apiKey: vars.GEMINI_API_KEY,
      baseUrl: vars.GEMINI_BASE_URL,
      model: vars.GEMINI_MODEL,
      timeoutMs: vars.MODEL_TIMEOUT_MS,
      emulatorLatencyMs: vars.EMULATOR_LATENCY_MS,
    },
    toolTimeoutMs: vars.TOOL_TIMEOUT_MS,
    requestTimeoutMs: vars.REQUEST_TIMEOUT_MS,
    maxModelCalls: vars.MAX_MODEL_CALLS,
    modelMaxAttempts: vars.MODEL_MAX_ATTEMPTS,
    maxToolResultChars: vars.MAX_TOOL_RESULT_CHARS,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    apiKeys: vars.AGENT_API_KEYS.length ? [...new Set([...vars.AGENT_API_KEYS, ...vars.INTERNAL_API_KEYS])] : [],
    internalApiKeys: vars.INTERNAL_API_KEYS,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    maxConcurrentRuns: vars.MAX_CONCURRENT_RUNS,
    subAgent: { url: vars.SUB_AGENT_URL, timeoutMs: vars.SUB_AGENT_TIMEOUT_MS, apiKey: vars.SUB_AGENT_API_KEY },
    // The one variable where empty differs from unset: unset means the default server, empty means none.
    mcp: { url: env.MCP_SERVER_URL?.trim() === '' ? undefined : vars.MCP_SERVER_URL, apiKey: vars.MCP_API_KEY },
    memory: {
      maxSessions: vars.MEMORY_MAX_SESSIONS,
      maxTurnsPerSession: vars.MEMORY_MAX_TURNS,
      maxCharsPerSession: vars.MEMORY_MAX_SESSION_CHARS,
      maxTotalChars: vars.MEMORY_MAX_TOTAL_CHARS,
    },
    tracing: {
      serviceName: vars.OTEL_SERVICE_NAME,
      environment: vars.NODE_ENV,
      sdkDisabled: vars.OTEL_SDK_DISABLED,
      exporters: chooseExporters(vars.OTEL_TRACES_EXPORTER, vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? vars.OTEL_EXPORTER_OTLP_ENDPOINT),
      propagators: vars.OTEL_PROPAGATORS?.length ? vars.OTEL_PROPAGATORS : DEFAULT_PROPAGATORS,
      propagateToModelApi: vars.PROPAGATE_TO_MODEL_API,
      disabledInstrumentations: vars.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? [],
      captureMessageContent: vars.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
      maxAttributeLength: vars.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT,
      contextTrust: vars.TRACE_CONTEXT_TRUST,
      sampler,
      spanMinDurationMs: vars.SPAN_MIN_DURATION_MS,
      treeAttributes: vars.TRACE_TREE_ATTRIBUTES,
    },
  };
}
