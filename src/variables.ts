import { z } from 'zod';
import {
  envBoolean,
  envEnum,
  envIntInRange,
  envList,
  envOptionalIntInRange,
  envPositiveInt,
  envSecretList,
  envString,
  envUrl,
  parseEnv,
} from './env';
import { LIMITS } from './limits';
import { SUB_AGENT_SERVICE_DEFAULTS, TOOL_SERVICE_DEFAULTS } from './service-defaults';

/**
 * Every environment variable the services read, in one schema: how each is checked, its default
 * and what it does, for the `--require` preload and the application alike (and for the tables of
 * docs/configuration.md and the README, written from this list by `npm run docs:generate`).
 * Standard `OTEL_*` variables keep their standard meaning. Values nobody needs to change are
 * constants in `src/limits.ts`, not variables.
 *
 * `readBy`: `tracing`, the `--require` preload (before the application exists); `app`, the
 * application; `sdk`, the OpenTelemetry SDK itself (listed to be documented, checked by the app).
 */

/** The values of `OTEL_EXPORTER_OTLP_PROTOCOL` the specification defines, `grpc` first (ours). */
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;

export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The two Gemini SDKs the service can call the API with (src/models/gemini-sdk.ts). */
export const GEMINI_SDKS = ['generative-ai', 'genai'] as const;

export type GeminiSdk = (typeof GEMINI_SDKS)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const METRICS_EXPORTERS = ['prometheus', 'otlp', 'console', 'none'];

interface Variable {
  readBy: readonly ('tracing' | 'app' | 'sdk')[];
  schema: z.ZodType;
  /** As the documentation shows it. */
  default: string;
  description: string;
}

const protocol = envEnum(OTLP_PROTOCOLS).optional();

export const VARIABLES = {
  // No default in the schema: each service has its own (service-defaults.ts).
  PORT: {
    readBy: ['app'],
    schema: envOptionalIntInRange(0, 65535),
    default:
      '`8080` (agent), `8081` (sub-agent), `8082` (tool service), `8090` (`npm run emulator`)',
    description: 'port to listen on (`0`: any free port)',
  },
  // Read by tracing too, so that a service's metrics listen where it does.
  HOST: {
    readBy: ['tracing', 'app'],
    schema: envString,
    default: '`0.0.0.0` (`npm run emulator`: `127.0.0.1`)',
    description: 'address to listen on, and to serve `/metrics` on',
  },
  // Read by tracing too: at `debug`, the tree printer shows the probes' and MCP handshake's traces.
  LOG_LEVEL: {
    readBy: ['tracing', 'app'],
    schema: envEnum(LOG_LEVELS).default('info'),
    default: '`info`',
    description:
      'pino level: `fatal` `error` `warn` `info` `debug` `trace` `silent`; `debug` also prints the trees of the probes and the MCP handshake',
  },
  NODE_ENV: {
    readBy: ['tracing'],
    schema: z.string().default('development'),
    default: '`development`',
    description:
      'the resource attribute `deployment.environment.name`; `production` samples 10% of new traces; `development` logs short lines for a person, any other value JSON',
  },
  // The keys are read by the preload too, only to scrub them from every span (known-secrets.ts).
  GEMINI_API_KEY: {
    readBy: ['tracing', 'app'],
    schema: envString,
    default: 'unset',
    description: 'the Gemini API key; unset or empty means offline mode (the built-in emulator)',
  },
  GEMINI_BASE_URL: {
    readBy: ['app'],
    schema: envString.pipe(envUrl.optional()),
    default: "the SDK's default",
    description: 'any Gemini-compatible endpoint: a proxy, a gateway, `npm run emulator`',
  },
  GEMINI_MODEL: {
    readBy: ['app'],
    schema: z.string().min(1).default('gemini-2.0-flash'),
    default: '`gemini-2.0-flash`',
    description: 'the model',
  },
  GEMINI_SDK: {
    readBy: ['app'],
    schema: envEnum(GEMINI_SDKS).default('generative-ai'),
    default: '`generative-ai`',
    description: 'the SDK that calls the API: `generative-ai` or `genai`',
  },
  MODEL_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.modelTimeoutMs),
    default: '`30000`',
    description: 'deadline of one model call attempt',
  },
  REQUEST_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.requestTimeoutMs),
    default: '`120000`',
    description: 'deadline of a whole run, whatever the model does',
  },
  AGENT_API_KEYS: {
    readBy: ['tracing', 'app'],
    schema: envSecretList,
    default: 'unset',
    description: 'comma-separated API keys; unset means open (with a start-up warning)',
  },
  RATE_LIMIT_PER_MINUTE: {
    readBy: ['app'],
    schema: envIntInRange(0, 1_000_000, 0),
    default: '`0`',
    description: 'requests a minute per client (per key, else per address); `0` for no limit',
  },
  MAX_CONCURRENT_RUNS: {
    readBy: ['app'],
    schema: envOptionalIntInRange(1, 1_000_000),
    default: 'derived from memory',
    description:
      'a cap on agent runs (tool service: MCP requests) in flight, in place of the derived one',
  },
  SHUTDOWN_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.shutdownTimeoutMs),
    default: '`10000`',
    description:
      'on SIGTERM or SIGINT, after the drain delay, how long in-flight requests may take before they are cancelled',
  },
  // No default in the schema: it depends on NODE_ENV (src/config.ts).
  SHUTDOWN_DRAIN_DELAY_MS: {
    readBy: ['app'],
    schema: envOptionalIntInRange(0, 600_000),
    default: '`5000` with `NODE_ENV=production`, else `0`',
    description:
      'on SIGTERM or SIGINT, how long the service goes on answering, `/readyz` at 503, before it stops accepting connections',
  },
  MEMORY_MAX_TURNS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.memoryMaxTurns),
    default: '`20`',
    description: 'turns kept per session (oldest forgotten first), replayed to the model',
  },
  DATABASE_URL: {
    readBy: ['app'],
    schema: envString,
    default: 'unset',
    description:
      'PostgreSQL for memory and the runs that take feedback; unset, both live in the process',
  },
  DATABASE_POOL_SIZE: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.databasePoolSize),
    default: '`10`',
    description: "memory's connections per process (ten replicas fit `max_connections` of 100)",
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.databaseStatementTimeoutMs),
    default: '`2000`',
    description:
      "the server's `statement_timeout` for every query; past it, the run goes on without memory",
  },
  DATABASE_CONNECT_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.databaseConnectTimeoutMs),
    default: '`2000`',
    description: 'how long a memory operation waits for a connection (new, or free in the pool)',
  },
  EMULATOR_LATENCY_MS: {
    readBy: ['app'],
    schema: envIntInRange(0, 600_000, 0),
    default: '`0`',
    description: 'latency the offline emulator adds to each planned reply',
  },
  SUB_AGENT_URL: {
    readBy: ['app'],
    schema: envUrl.default(`http://localhost:${SUB_AGENT_SERVICE_DEFAULTS.port}`),
    default: '`http://localhost:8081`',
    description: 'where the agent delegates (agent only)',
  },
  SUB_AGENT_TIMEOUT_MS: {
    readBy: ['app'],
    schema: envPositiveInt(LIMITS.subAgentTimeoutMs),
    default: '`20000`',
    description: 'deadline of one delegation (agent only)',
  },
  SUB_AGENT_API_KEY: {
    readBy: ['tracing', 'app'],
    schema: envString,
    default: 'unset',
    description: 'the key the agent sends to a sub-agent that has `AGENT_API_KEYS` set',
  },
  MCP_SERVER_URL: {
    readBy: ['app'],
    schema: envUrl.default(`http://localhost:${TOOL_SERVICE_DEFAULTS.port}/mcp`),
    default: '`http://localhost:8082/mcp`',
    description: 'the MCP server whose tools the agent adds (agent only); set it empty for none',
  },
  MCP_API_KEY: {
    readBy: ['tracing', 'app'],
    schema: envString,
    default: 'unset',
    description: 'the key the agent sends to an MCP server that requires one',
  },
  MODEL_PRICING_FILE: {
    readBy: ['app'],
    schema: envString,
    default: 'unset (the table in `src/models/gemini/gemini-prices.ts`)',
    description: 'a JSON pricing table that replaces ours',
  },
  TRACE_CONTEXT_TRUST: {
    readBy: ['tracing'],
    schema: envEnum(['all', 'internal']).default('all'),
    default: '`all`',
    description:
      '`internal`: only callers with one of `INTERNAL_API_KEYS` have their trace continued',
  },
  INTERNAL_API_KEYS: {
    readBy: ['tracing'],
    schema: envSecretList,
    default: 'unset',
    description: "comma-separated keys of our own services (e.g. the agent's `SUB_AGENT_API_KEY`)",
  },
  PROPAGATE_TO_MODEL_API: {
    readBy: ['tracing'],
    schema: envBoolean,
    default: '`false`',
    description: '`true` sends trace headers and baggage on model API calls too',
  },
  SPAN_MIN_DURATION_MS: {
    readBy: ['tracing'],
    schema: z.coerce
      .number({ error: 'must be a number of milliseconds, 0 or more' })
      .min(0)
      .default(0),
    default: '`0` (off)',
    description: 'spans shorter than this are not exported (roots, errors and ancestors are)',
  },
  TRACE_TREE_ATTRIBUTES: {
    readBy: ['tracing'],
    schema: envBoolean,
    default: '`false`',
    description: "`true`: the tree printer shows each span's attributes",
  },
  OTEL_SERVICE_NAME: {
    readBy: ['tracing'],
    schema: envString,
    default: '`agent-service`, `sub-agent-service`, `tool-service`',
    description: '`service.name`',
  },
  OTEL_SDK_DISABLED: {
    readBy: ['tracing'],
    schema: envBoolean,
    default: '`false`',
    description: '`true`: no tracing and no metrics at all (the SDK is not even loaded)',
  },
  OTEL_CONFIG_FILE: {
    readBy: ['tracing'],
    schema: envString,
    default: 'unset',
    description:
      "a YAML file in OpenTelemetry's declarative format, in place of the `OTEL_*` variables",
  },
  OTEL_TRACES_EXPORTER: {
    readBy: ['tracing'],
    schema: envList,
    default: '`otlp` with an endpoint, else `console`',
    description: '`otlp`, `console` (the tree printer), `none`; comma-separated for several',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    readBy: ['tracing'],
    schema: envString,
    default: 'unset',
    description: 'the OTLP endpoint; `_HEADERS`, `_TIMEOUT`, `_COMPRESSION` are read by the SDK',
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    readBy: ['tracing'],
    schema: envString,
    default: 'unset',
    description: 'the OTLP endpoint of traces, used as given',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    readBy: ['tracing'],
    schema: envEnum(OTLP_PROTOCOLS).default('grpc'),
    default: '`grpc`',
    description: 'how the OTLP exporters speak: `grpc`, `http/protobuf` or `http/json`',
  },
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: {
    readBy: ['tracing'],
    schema: protocol,
    default: '`OTEL_EXPORTER_OTLP_PROTOCOL`',
    description: 'how the traces exporter speaks, in place of the general protocol',
  },
  OTEL_LOG_LEVEL: {
    readBy: ['tracing'],
    schema: envString,
    default: 'unset',
    description:
      "the SDK's console logger at this level; unset, its warnings reach stderr, rate-limited",
  },
  OTEL_TRACES_SAMPLER: {
    readBy: ['tracing'],
    schema: envString,
    default: '`parentbased_traceidratio` with `NODE_ENV=production`, else `parentbased_always_on`',
    description: 'the standard samplers, or `adaptive` (sampled new traces a second)',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    readBy: ['tracing'],
    schema: envString,
    default: '`0.1` with `NODE_ENV=production`; the ratio `1`, `adaptive`: `10`',
    description: "the sampler's argument: a ratio from 0 to 1, or `adaptive`'s traces a second",
  },
  OTEL_PROPAGATORS: {
    readBy: ['tracing'],
    schema: envList,
    default: '`b3multi,tracecontext,baggage`',
    description: 'any of `tracecontext`, `baggage`, `b3`, `b3multi`, or `none`',
  },
  OTEL_METRICS_EXPORTER: {
    readBy: ['tracing'],
    schema: envList.superRefine((names, context) => {
      const unknown = names?.filter((name) => !METRICS_EXPORTERS.includes(name)) ?? [];
      if (unknown.length)
        context.addIssue({
          code: 'custom',
          message: `must be prometheus, otlp, console or none (comma-separated), not ${unknown.join(', ')}`,
        });
    }),
    default: '`prometheus`',
    description: '`prometheus`, `otlp`, `console`, `none`; comma-separated for several',
  },
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: {
    readBy: ['tracing'],
    schema: protocol,
    default: 'the general `OTEL_EXPORTER_OTLP_PROTOCOL`',
    description: 'how the OTLP metrics exporter speaks (not the `_TRACES_` one)',
  },
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: {
    readBy: ['tracing'],
    schema: envString,
    default: '`OTEL_EXPORTER_OTLP_ENDPOINT` (HTTP: with `/v1/metrics` appended)',
    description: 'the OTLP endpoint of metrics, used as given',
  },
  // The specification's defaults; the SDK reads them only for readers it builds itself, and ours
  // are built by hand (metric-readers.ts).
  OTEL_METRIC_EXPORT_INTERVAL: {
    readBy: ['tracing'],
    schema: envPositiveInt(60_000),
    default: '`60000`',
    description: 'milliseconds between two pushes of the `otlp` and `console` metrics exporters',
  },
  OTEL_METRIC_EXPORT_TIMEOUT: {
    readBy: ['tracing'],
    schema: envPositiveInt(30_000),
    default: '`30000`',
    description: 'the longest one push may take, never more than the interval',
  },
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: {
    readBy: ['sdk'],
    schema: envString,
    default: '`cumulative`',
    description: '`cumulative` (totals: a failed push loses nothing) or `delta`',
  },
  OTEL_EXPORTER_PROMETHEUS_HOST: {
    readBy: ['tracing'],
    schema: envString,
    default: '`HOST`',
    description: 'where `/metrics` is served',
  },
  // No default in the schema: each service has its own (service-defaults.ts).
  OTEL_EXPORTER_PROMETHEUS_PORT: {
    readBy: ['tracing'],
    schema: envOptionalIntInRange(1, 65535),
    default: '`9464` (agent), `9465` (sub-agent), `9466` (tool service)',
    description: 'the port of `/metrics`, one per service so all three run on one machine',
  },
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
    readBy: ['tracing'],
    schema: envList,
    default: '`http,express,undici,pino,pg`',
    description: 'the instrumentations to load, by short name, of the five the service ships',
  },
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
    readBy: ['tracing'],
    schema: envList,
    default: 'unset',
    description: 'comma-separated short names to leave off, e.g. `pino`',
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    readBy: ['sdk'],
    schema: envString,
    default: 'unset',
    description: 'extra resource attributes, e.g. `deployment.environment.name=staging`',
  },
  // The batch span processor's, with the specification's defaults: OpenTelemetry JS 3 reads them
  // only for a processor the SDK builds, and ours is built by hand (standard-pipeline.ts).
  OTEL_BSP_SCHEDULE_DELAY: {
    readBy: ['tracing'],
    schema: envPositiveInt(5_000),
    default: '`5000`',
    description: "the `otlp` exporter's batch processor: milliseconds between two exports",
  },
  OTEL_BSP_MAX_QUEUE_SIZE: {
    readBy: ['tracing'],
    schema: envPositiveInt(2_048),
    default: '`2048`',
    description: 'spans queued for export; more are dropped and counted',
  },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: {
    readBy: ['tracing'],
    schema: envPositiveInt(512),
    default: '`512`',
    description: 'spans per export',
  },
  OTEL_BSP_EXPORT_TIMEOUT: {
    readBy: ['tracing'],
    schema: envPositiveInt(30_000),
    default: '`30000`',
    description: 'milliseconds one export may take',
  },
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: {
    readBy: ['tracing'],
    schema: envPositiveInt(LIMITS.maxAttributeLength),
    default: '`4096`',
    description: 'longest string attribute value; longer ones are truncated',
  },
  OTEL_SEMCONV_STABILITY_OPT_IN: {
    readBy: ['tracing'],
    schema: envList,
    default: 'unset',
    description: "with `gen_ai_latest_experimental`, the GenAI conventions' latest names",
  },
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: {
    readBy: ['tracing'],
    schema: envBoolean,
    default: '`false`',
    description: '`true` records prompts, answers, tool arguments and results (sanitized)',
  },
} satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

/** The parsed values of `names`, each of its schema's type. */
export type VariableValues<Name extends VariableName> = {
  [N in Name]: z.output<(typeof VARIABLES)[N]['schema']>;
};

type ReadBy<Reader> = {
  [N in VariableName]: Reader extends (typeof VARIABLES)[N]['readBy'][number] ? N : never;
}[VariableName];

export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];

const namesReadBy = <Reader extends 'tracing' | 'app' | 'sdk'>(...readers: Reader[]) =>
  VARIABLE_NAMES.filter((name) =>
    readers.some((reader) => (VARIABLES[name].readBy as readonly string[]).includes(reader)),
  ) as ReadBy<Reader>[];

/** What the `--require` preload reads: only these are parsed before the application exists. */
export const TRACING_VARIABLE_NAMES = namesReadBy('tracing');

export type TracingValues = VariableValues<ReadBy<'tracing'>>;

/** What the application reads besides (and those left to the SDK, checked all the same). */
export const APPLICATION_VARIABLE_NAMES = namesReadBy('app', 'sdk');

/**
 * Parses the variables `names` from `env` with the schema above. Throws one `ConfigError` naming
 * every bad variable, in one line.
 */
export function parseVariables<Name extends VariableName>(
  env: NodeJS.ProcessEnv,
  names: readonly Name[],
): VariableValues<Name> {
  const shape = Object.fromEntries(names.map((name) => [name, VARIABLES[name].schema]));
  return parseEnv(shape, env) as VariableValues<Name>;
}
