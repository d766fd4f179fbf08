import { ConfigError } from '../../env';
import { DEFAULT_HOST, type ServiceDefaults } from '../../service-defaults';
import {
  parseVariables,
  TRACING_VARIABLE_NAMES,
  type OtlpProtocol,
  type TracingValues,
} from '../../variables';
import type { GenAiConventionsMode } from '../conventions/conventions';
import { DEFAULT_MAX_ATTRIBUTE_LENGTH } from '../privacy/sanitize';
import { DEFAULT_PROPAGATORS } from '../propagation/propagators';
import {
  chooseSampler,
  SamplerSettingError,
  type SamplerSetting,
} from '../sampling/sampler-setting';
import { SEMCONV_OPT_IN_GEN_AI_LATEST } from '../semconv';
import type { ConfigFile } from './config-file/read-config-file';

/**
 * What tracing makes of its variables (src/variables.ts, parsed once by one schema for the
 * `--require` preload and the application alike): the preload parses only the tracing ones, before
 * the application exists, so a mistake in an unrelated variable (`PORT=abc`) is reported by the
 * application, once, in one line. Standard `OTEL_*` variables keep their standard meaning; the ones
 * the SDK reads itself (resource attributes, exporter endpoint details) are left to it.
 */

/**
 * The instrumentations the service ships, all on by default: the server and client spans,
 * Express's route names, trace ids in log lines, and the database calls of PostgreSQL memory (`pg`
 * patches only when memory loads `pg`).
 */
const INSTRUMENTATIONS = ['http', 'express', 'undici', 'pino', 'pg'] as const;

export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];

export type TracesExporterName = 'otlp' | 'console' | 'none';
export type MetricsExporterName = 'prometheus' | 'otlp' | 'console';

/** The batch span processor's settings (`OTEL_BSP_*`), in its own option names. */
export interface BatchSettings {
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
}

export interface TracingConfig {
  serviceName: string;
  environment: string;
  sdkDisabled: boolean;
  exporters: TracesExporterName[];
  /**
   * How the `otlp` exporter speaks: `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else
   * `OTEL_EXPORTER_OTLP_PROTOCOL`, else `grpc`.
   */
  otlpProtocol: OtlpProtocol;
  /** How the `otlp` exporter's batch span processor queues and sends spans. */
  batch: BatchSettings;
  /** From `OTEL_METRICS_EXPORTER`, else Prometheus; empty with `none`. */
  metricsExporters: MetricsExporterName[];
  /**
   * How the `otlp` metrics exporter speaks: `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, else
   * `OTEL_EXPORTER_OTLP_PROTOCOL`, else `grpc`.
   */
  otlpMetricsProtocol: OtlpProtocol;
  /**
   * How often metrics are pushed (`OTEL_METRIC_EXPORT_INTERVAL`) and how long one push may take
   * (`OTEL_METRIC_EXPORT_TIMEOUT`, never more than the interval), in milliseconds.
   */
  metricExport: { intervalMs: number; timeoutMs: number };
  /**
   * Where the Prometheus exporter listens: `OTEL_EXPORTER_PROMETHEUS_HOST`, else where the service
   * does (`HOST`); `OTEL_EXPORTER_PROMETHEUS_PORT`, else the service's own port for it.
   */
  prometheus: { host: string; port: number };
  /**
   * Over gRPC, the OTLP metrics endpoint when only the traces one is set (metrics go to the same
   * collector); otherwise the exporter reads `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` / `_ENDPOINT`
   * itself. Never over HTTP, where the traces endpoint is a full URL ending in the traces path.
   */
  otlpMetricsUrl: string | undefined;
  /** From `OTEL_PROPAGATORS`, else our default. */
  propagators: string[];
  /**
   * Whether calls to the model API carry trace headers and baggage (for a traced gateway of your
   * own).
   */
  propagateToModelApi: boolean;
  /**
   * The instrumentations to load, by short name (`http`, `express`, ...): from
   * `OTEL_NODE_ENABLED_INSTRUMENTATIONS`, else all the service ships, less
   * `OTEL_NODE_DISABLED_INSTRUMENTATIONS`.
   */
  enabledInstrumentations: string[];
  captureMessageContent: boolean;
  /**
   * Which names our spans and metrics carry: `latest` when `OTEL_SEMCONV_STABILITY_OPT_IN` lists
   * `gen_ai_latest_experimental` (the GenAI conventions' own repository), else the workshop's.
   * Other values in the list are for other instrumentations (e.g. `http`), and are left to them.
   */
  genAiConventions: GenAiConventionsMode;
  maxAttributeLength: number;
  /**
   * `all`: every caller's trace context and baggage are continued; `internal`: only those of
   * callers with an internal key.
   */
  contextTrust: 'all' | 'internal';
  /** Keys of our own services (`INTERNAL_API_KEYS`): their trace context is trusted. */
  internalApiKeys: string[];
  /** From `OTEL_TRACES_SAMPLER` / `_ARG`, else by `NODE_ENV`. */
  sampler: SamplerSetting;
  /**
   * Spans shorter than this are not exported (0: all are); see minimum-duration-span-processor.ts.
   */
  spanMinDurationMs: number;
  /**
   * What the tree printer shows: each span's attributes (`TRACE_TREE_ATTRIBUTES`), and the probes'
   * and MCP handshake's traces (`LOG_LEVEL=debug` or `trace`), left out otherwise.
   */
  tree: { showAttributes: boolean; showHousekeeping: boolean };
  /** `OTEL_LOG_LEVEL`: the SDK's console logger at this level; unset, its warnings reach ours. */
  sdkLogLevel: string | undefined;
  /**
   * The keys this process was configured with, removed from every span and log line that could
   * carry them.
   */
  knownSecrets: string[];
  /**
   * `OTEL_CONFIG_FILE`, read and checked. When set, it replaces the standard variables: the
   * exporters, sampler, batch settings, propagators, resource, limits and metric readers come from
   * it (config-file/file-pipeline.ts), and the fields above that hold those variables' values are
   * not used; `serviceName`, `sdkDisabled`, `maxAttributeLength` and `prometheus` take the file's
   * values. Our own variables (trust, the minimum duration, secrets, instrumentations, content
   * capture) still apply.
   */
  configFile: ConfigFile | undefined;
}

function chooseExporters(
  requested: string[] | undefined,
  otlpEndpoint: string | undefined,
): TracesExporterName[] {
  if (!requested?.length) return otlpEndpoint ? ['otlp'] : ['console'];
  const known = requested.filter((name): name is TracesExporterName =>
    ['otlp', 'console', 'none'].includes(name),
  );
  if (known.includes('none')) return ['none'];
  return known.length ? [...new Set(known)] : ['console'];
}

/**
 * Prometheus by default: every service can then be scraped (`curl localhost:9464/metrics`) with
 * no collector, and a pull exporter costs nothing until someone scrapes it. Unknown names were
 * refused by the schema.
 */
function chooseMetricsExporters(requested: string[] | undefined): MetricsExporterName[] {
  if (!requested?.length) return ['prometheus'];
  if (requested.includes('none')) return [];
  return [...new Set(requested)] as MetricsExporterName[];
}

function samplerFrom(
  sampler: string | undefined,
  arg: string | undefined,
  environment: string,
): SamplerSetting {
  try {
    return chooseSampler({ sampler, arg, environment });
  } catch (error) {
    if (error instanceof SamplerSettingError)
      throw new ConfigError(`Invalid configuration: ${error.message}`);
    throw error;
  }
}

type TracingDefaults = Pick<ServiceDefaults, 'serviceName' | 'prometheusPort'>;

/**
 * What the rest of the service needs to know from `OTEL_CONFIG_FILE`. The file is read even with
 * `OTEL_SDK_DISABLED=true` (which still wins), as a bad variable is reported then too: a broken
 * file must not wait for the day tracing is switched back on.
 */
function withConfigFile(
  config: TracingConfig,
  path: string,
  vars: TracingValues,
  env: NodeJS.ProcessEnv,
  defaults: TracingDefaults,
): TracingConfig {
  // Loaded only when a file is given: the format's parser and validator take ~100 ms to load.
  type Reader = typeof import('./config-file/read-config-file');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readConfigFile } = require('./config-file/read-config-file') as Reader;
  const configFile = readConfigFile(path, env);
  return {
    ...config,
    configFile,
    serviceName: configFile.serviceName ?? defaults.serviceName,
    sdkDisabled: vars.OTEL_SDK_DISABLED || configFile.model.disabled === true,
    // Our default when the file sets none (the format's is no limit): a model's whole answer would
    // otherwise be exported as one attribute.
    maxAttributeLength: configFile.maxAttributeLength ?? DEFAULT_MAX_ATTRIBUTE_LENGTH,
    // Where a Prometheus reader listens when the file does not say: the service's own address and
    // port, as without a file (the OTEL_EXPORTER_PROMETHEUS_* variables count only through ${…}).
    prometheus: { host: vars.HOST ?? DEFAULT_HOST, port: defaults.prometheusPort },
  };
}

/**
 * The tracing (and metrics) configuration, read the same way by the preload and the application:
 * the tracing variables alone, parsed by the one schema. `defaults` are the service's own name and
 * Prometheus port. Throws `ConfigError`.
 */
export function loadTracingConfig(
  env: NodeJS.ProcessEnv,
  defaults: TracingDefaults,
): TracingConfig {
  const vars = parseVariables(env, TRACING_VARIABLE_NAMES);
  const config = fromVariables(vars, defaults);
  return vars.OTEL_CONFIG_FILE
    ? withConfigFile(config, vars.OTEL_CONFIG_FILE, vars, env, defaults)
    : config;
}

function fromVariables(vars: TracingValues, defaults: TracingDefaults): TracingConfig {
  const metricsProtocol =
    vars.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? vars.OTEL_EXPORTER_OTLP_PROTOCOL;
  const secrets = [
    vars.GEMINI_API_KEY,
    vars.SUB_AGENT_API_KEY,
    vars.MCP_API_KEY,
    ...vars.AGENT_API_KEYS,
    ...vars.INTERNAL_API_KEYS,
  ];
  return {
    serviceName: vars.OTEL_SERVICE_NAME ?? defaults.serviceName,
    environment: vars.NODE_ENV,
    sdkDisabled: vars.OTEL_SDK_DISABLED,
    exporters: chooseExporters(
      vars.OTEL_TRACES_EXPORTER,
      vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? vars.OTEL_EXPORTER_OTLP_ENDPOINT,
    ),
    otlpProtocol: vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? vars.OTEL_EXPORTER_OTLP_PROTOCOL,
    batch: {
      scheduledDelayMillis: vars.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: vars.OTEL_BSP_EXPORT_TIMEOUT,
      maxQueueSize: vars.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: vars.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    },
    metricsExporters: chooseMetricsExporters(vars.OTEL_METRICS_EXPORTER),
    otlpMetricsProtocol: metricsProtocol,
    metricExport: {
      intervalMs: vars.OTEL_METRIC_EXPORT_INTERVAL,
      timeoutMs: Math.min(vars.OTEL_METRIC_EXPORT_TIMEOUT, vars.OTEL_METRIC_EXPORT_INTERVAL),
    },
    prometheus: {
      // The service's own address rather than the exporter's default (every interface): a service
      // started on 127.0.0.1 keeps its metrics off the network, and one in a container serves them
      // where Prometheus reaches it.
      host: vars.OTEL_EXPORTER_PROMETHEUS_HOST ?? vars.HOST ?? DEFAULT_HOST,
      port: vars.OTEL_EXPORTER_PROMETHEUS_PORT ?? defaults.prometheusPort,
    },
    otlpMetricsUrl:
      metricsProtocol !== 'grpc' ||
      (vars.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? vars.OTEL_EXPORTER_OTLP_ENDPOINT)
        ? undefined
        : vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    propagators: vars.OTEL_PROPAGATORS?.length ? vars.OTEL_PROPAGATORS : [...DEFAULT_PROPAGATORS],
    propagateToModelApi: vars.PROPAGATE_TO_MODEL_API,
    enabledInstrumentations: (vars.OTEL_NODE_ENABLED_INSTRUMENTATIONS ?? INSTRUMENTATIONS).filter(
      (name) => !vars.OTEL_NODE_DISABLED_INSTRUMENTATIONS?.includes(name),
    ),
    captureMessageContent: vars.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
    genAiConventions: vars.OTEL_SEMCONV_STABILITY_OPT_IN?.includes(SEMCONV_OPT_IN_GEN_AI_LATEST)
      ? 'latest'
      : 'workshop',
    maxAttributeLength: vars.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    contextTrust: vars.TRACE_CONTEXT_TRUST,
    internalApiKeys: vars.INTERNAL_API_KEYS,
    sampler: samplerFrom(vars.OTEL_TRACES_SAMPLER, vars.OTEL_TRACES_SAMPLER_ARG, vars.NODE_ENV),
    spanMinDurationMs: vars.SPAN_MIN_DURATION_MS,
    tree: {
      showAttributes: vars.TRACE_TREE_ATTRIBUTES,
      showHousekeeping: vars.LOG_LEVEL === 'debug' || vars.LOG_LEVEL === 'trace',
    },
    sdkLogLevel: vars.OTEL_LOG_LEVEL,
    knownSecrets: secrets.filter((secret): secret is string => Boolean(secret)),
    configFile: undefined,
  };
}
