import { z } from 'zod';

/**
 * The part of the declarative configuration format (`file_format` 1.x) this service applies, as a
 * strict schema. `@opentelemetry/configuration` has already checked the file against the whole
 * format (types, required fields, one key per component); this schema then refuses, by name,
 * anything valid that the service would otherwise ignore: a setting that silently does nothing
 * is worse than a start-up that says so. What is here is built by `file-pipeline.ts`.
 */

/** A component without settings: `always_on:` in YAML is null, `always_on: {}` an empty object. */
const noSettings = z.strictObject({}).nullish();

const count = z.number().int().nonnegative().nullish();

/** The format's "0 means no limit" is refused: the SDK's components cannot wait forever. */
const timeoutMs = z
  .number()
  .int()
  .positive({ error: 'must be more than 0 (no limit is not supported)' })
  .nullish();

/** The OpenTelemetry JS exporters take no other compression. */
const compression = z.enum(['gzip', 'none']).nullish();

const headers = z.array(z.strictObject({ name: z.string(), value: z.string().nullable() }));

/**
 * What `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_RESOURCE_ATTRIBUTES` hold: `key=value` pairs,
 * comma-separated, percent-encoded. The package's own parser discards a bad list with a warning
 * nobody may see; here it is an error.
 */
const keyValueList = z
  .string()
  .refine(
    (list) =>
      list
        .split(',')
        .filter((pair) => pair.trim())
        .every((pair) => {
          const [key, value, extra] = pair.split('=');
          if (!key?.trim() || value === undefined || extra !== undefined) return false;
          try {
            decodeURIComponent(key);
            decodeURIComponent(value);
            return true;
          } catch {
            return false;
          }
        }),
    { error: 'must be key=value pairs, comma-separated, percent-encoded' },
  )
  .nullish();

const otlpSettings = {
  endpoint: z.string().nullish(),
  headers: headers.nullish(),
  headers_list: keyValueList,
  compression,
  timeout: timeoutMs,
};
const temporality_preference = z.enum(['cumulative', 'delta', 'low_memory']).nullish();

const otlpHttp = z.strictObject({
  ...otlpSettings,
  encoding: z.enum(['protobuf', 'json']).nullish(),
});
const otlpGrpc = z.strictObject(otlpSettings);

const spanExporter = z.strictObject({
  otlp_http: otlpHttp.nullish(),
  otlp_grpc: otlpGrpc.nullish(),
  // The tree printer, as `OTEL_TRACES_EXPORTER=console` is.
  console: noSettings,
});

const spanProcessor = z.strictObject({
  batch: z
    .strictObject({
      schedule_delay: count,
      export_timeout: timeoutMs,
      max_queue_size: z.number().int().positive().nullish(),
      max_export_batch_size: z.number().int().positive().nullish(),
      exporter: spanExporter,
    })
    .nullish(),
  simple: z.strictObject({ exporter: spanExporter }).nullish(),
});

/** The format's default ratio for `trace_id_ratio_based`, as `OTEL_TRACES_SAMPLER_ARG`'s. */
export const DEFAULT_RATIO = 1;

/** Our own sampler's name: snake case, as the format names components (`/…` marks a status). */
export const ADAPTIVE_SAMPLER = 'traced_agent_adaptive';

export interface SamplerModel {
  always_on?: Record<string, never> | null;
  always_off?: Record<string, never> | null;
  trace_id_ratio_based?: { ratio?: number | null } | null;
  parent_based?: ParentBasedModel | null;
  [ADAPTIVE_SAMPLER]?: { target_per_second?: number | null } | null;
}

export interface ParentBasedModel {
  root?: SamplerModel | null;
  remote_parent_sampled?: SamplerModel | null;
  remote_parent_not_sampled?: SamplerModel | null;
  local_parent_sampled?: SamplerModel | null;
  local_parent_not_sampled?: SamplerModel | null;
}

const sampler: z.ZodType<SamplerModel> = z.lazy(() =>
  z.strictObject({
    always_on: noSettings,
    always_off: noSettings,
    // The format bounds it to [0, 1].
    trace_id_ratio_based: z.strictObject({ ratio: z.number().nullish() }).nullish(),
    parent_based: z
      .strictObject({
        root: sampler.nullish(),
        remote_parent_sampled: sampler.nullish(),
        remote_parent_not_sampled: sampler.nullish(),
        local_parent_sampled: sampler.nullish(),
        local_parent_not_sampled: sampler.nullish(),
      })
      .nullish(),
    [ADAPTIVE_SAMPLER]: z
      .strictObject({
        target_per_second: z
          .number()
          .positive({ error: 'must be a positive number of traces a second' })
          .nullish(),
      })
      .nullish(),
  }),
);

type Path = (string | number)[];

/**
 * The adaptive sampler decides for new traces only; elsewhere it would cut traces in pieces, since
 * its decisions do not follow the trace id.
 */
function adaptiveOutsideRoot(model: SamplerModel, path: Path, isRoot: boolean): Path | undefined {
  if (model[ADAPTIVE_SAMPLER] !== undefined && !isRoot) return [...path, ADAPTIVE_SAMPLER];
  const parentBased = model.parent_based;
  if (!parentBased) return undefined;
  for (const [slot, child] of Object.entries(parentBased) as [string, SamplerModel | null][]) {
    const found =
      child && adaptiveOutsideRoot(child, [...path, 'parent_based', slot], slot === 'root');
    if (found) return found;
  }
  return undefined;
}

const spanLimits = z.strictObject({
  attribute_value_length_limit: count,
  attribute_count_limit: count,
  event_count_limit: count,
  link_count_limit: count,
  event_attribute_count_limit: count,
  link_attribute_count_limit: count,
});

const tracerProvider = z
  .strictObject({
    processors: z.array(spanProcessor),
    limits: spanLimits.nullish(),
    sampler: sampler.nullish(),
  })
  .superRefine(({ sampler: model }, context) => {
    const path = model && adaptiveOutsideRoot(model, ['sampler'], false);
    if (path)
      context.addIssue({
        code: 'custom',
        path,
        message: 'only as the root of parent_based (a trace is decided where it starts)',
      });
  });

const pushMetricExporter = z.strictObject({
  otlp_http: otlpHttp.extend({ temporality_preference }).nullish(),
  otlp_grpc: otlpGrpc.extend({ temporality_preference }).nullish(),
  console: noSettings,
});

const metricReader = z.strictObject({
  periodic: z
    .strictObject({
      interval: z.number().int().positive().nullish(),
      timeout: timeoutMs,
      exporter: pushMetricExporter,
    })
    .nullish(),
  pull: z
    .strictObject({
      exporter: z.strictObject({
        'prometheus/development': z
          .strictObject({
            host: z.string().nullish(),
            port: z.number().int().min(1).max(65535).nullish(),
          })
          .nullish(),
      }),
    })
    .nullish(),
});

const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'] as const;

const propagator = z.strictObject({
  composite: z
    .array(z.strictObject(Object.fromEntries(PROPAGATOR_NAMES.map((name) => [name, noSettings]))))
    .nullish(),
  composite_list: z
    .string()
    .refine(
      (list) =>
        list
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
          .every((name) => (PROPAGATOR_NAMES as readonly string[]).includes(name)),
      { error: `must list names among ${PROPAGATOR_NAMES.join(', ')}` },
    )
    .nullish(),
});

const attributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);

const RESOURCE_DETECTORS = ['host', 'process', 'service'] as const;

const resource = z.strictObject({
  attributes: z
    .array(
      z.strictObject({
        name: z.string(),
        value: attributeValue.nullable(),
        type: z.string().nullish(),
      }),
    )
    .nullish(),
  attributes_list: keyValueList,
  schema_url: z.string().nullish(),
  'detection/development': z
    .strictObject({
      detectors: z
        .array(
          z.strictObject(Object.fromEntries(RESOURCE_DETECTORS.map((name) => [name, noSettings]))),
        )
        .nullish(),
    })
    .nullish(),
});

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export const fileModelSchema = z.strictObject({
  disabled: z.boolean().nullish(),
  // The format's severities: `info`, `info2` … `info4`, and so on; diag has no finer grain.
  log_level: z
    .string()
    .regex(new RegExp(`^(${LOG_LEVELS.join('|')})[2-4]?$`), {
      error: `must be one of ${LOG_LEVELS.join(', ')}`,
    })
    .nullish(),
  attribute_limits: z
    .strictObject({ attribute_value_length_limit: count, attribute_count_limit: count })
    .nullish(),
  resource: resource.nullish(),
  propagator: propagator.nullish(),
  tracer_provider: tracerProvider.nullish(),
  meter_provider: z.strictObject({ readers: z.array(metricReader) }).nullish(),
});

export type FileModel = z.infer<typeof fileModelSchema>;
export type TracerProviderModel = NonNullable<FileModel['tracer_provider']>;
export type SpanProcessorModel = TracerProviderModel['processors'][number];
export type SpanExporterModel = z.infer<typeof spanExporter>;
export type MetricReaderModel = NonNullable<FileModel['meter_provider']>['readers'][number];
export type PushMetricExporterModel = z.infer<typeof pushMetricExporter>;
export type OtlpModel = z.infer<typeof otlpGrpc>;
export type OtlpHttpModel = z.infer<typeof otlpHttp>;
export type ResourceModel = NonNullable<FileModel['resource']>;
