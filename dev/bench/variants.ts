/**
 * The eight ways the same service is run, from no OpenTelemetry at all to full tracing with
 * metrics.
 */
export type VariantId =
  'ceiling' | 'disabled' | 'full' | 'metrics' | 'sampled' | 'adaptive' | 'unsampled' | 'bare';

export interface Variant {
  id: VariantId;
  title: string;
  /** The module loaded with `--require`; null for none. */
  register: string | null;
  env: Record<string, string>;
  /**
   * Share of traces sampled; 0 when nothing is exported. For the adaptive sampler, whose share
   * depends on the load, 1: which traces it kept is then read from the span counter.
   */
  sampling: number;
  /** The adaptive sampler's target, in traces per second. */
  adaptivePerSecond?: number;
  /**
   * Metrics exported with Prometheus on a port of its own; every other variant has none
   * (`OTEL_METRICS_EXPORTER=none`, as spawned services do).
   */
  metrics?: boolean;
}

/** The adaptive variant's target: the goal is stated for 50 traces per second. */
const ADAPTIVE_TARGET_PER_SECOND = 50;

export const VARIANTS: readonly Variant[] = [
  { id: 'ceiling', title: 'No OpenTelemetry loaded', register: null, env: {}, sampling: 0 },
  {
    id: 'disabled',
    title: 'OTEL_SDK_DISABLED=true',
    register: 'dist/tracing/register.js',
    env: { OTEL_SDK_DISABLED: 'true' },
    sampling: 0,
  },
  {
    id: 'full',
    title: 'Full tracing, 100% sampling, OTLP/gRPC',
    register: 'dist/tracing/register.js',
    env: {},
    sampling: 1,
  },
  // The same as full, plus metrics: what metrics cost with tracing on in both.
  {
    id: 'metrics',
    title: 'Full tracing at 100% with metrics (Prometheus)',
    register: 'dist/tracing/register.js',
    env: {},
    sampling: 1,
    metrics: true,
  },
  {
    id: 'sampled',
    title: 'Full tracing, 10% sampling (parent-based ratio)',
    register: 'dist/tracing/register.js',
    env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    sampling: 0.1,
  },
  // The adaptive sampler at the bench's maximum load: its cost is bounded by its target, whatever
  // the traffic.
  {
    id: 'adaptive',
    title: `Adaptive sampling, ${ADAPTIVE_TARGET_PER_SECOND} traces/s`,
    register: 'dist/tracing/register.js',
    env: {
      OTEL_TRACES_SAMPLER: 'adaptive',
      OTEL_TRACES_SAMPLER_ARG: String(ADAPTIVE_TARGET_PER_SECOND),
    },
    sampling: 1,
    adaptivePerSecond: ADAPTIVE_TARGET_PER_SECOND,
  },
  // Two more, to split the cost into layers: what every request pays with the SDK on but nothing
  // sampled, with and without the four instrumentations. Metrics are on in both: issue 27's goal
  // for an unsampled request counts them, as a service that samples little still exports metrics.
  {
    id: 'unsampled',
    title: 'SDK on, nothing sampled (always_off), all four instrumentations, metrics',
    register: 'dist/tracing/register.js',
    env: { OTEL_TRACES_SAMPLER: 'always_off' },
    sampling: 0,
    metrics: true,
  },
  {
    id: 'bare',
    title: 'SDK on, nothing sampled, no instrumentation, metrics',
    register: 'dist/tracing/register.js',
    env: {
      OTEL_TRACES_SAMPLER: 'always_off',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,express,undici,pino',
    },
    sampling: 0,
    metrics: true,
  },
];

/** "Calculate 2 + 2": two model calls and one tool call, as the benchmark's request. */
export const BENCH_TASK = { task: 'Calculate 2 + 2' };
/**
 * Its spans: server, agent.task, memory.read, 2 × (llm.generate + POST), agent.step.reasoning,
 * tool.calculator, memory.write.
 */
export const SPANS_PER_REQUEST = 10;
