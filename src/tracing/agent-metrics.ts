import {
  metrics,
  ValueType,
  type Attributes,
  type Histogram,
  type Meter,
} from '@opentelemetry/api';
import { LIMITS } from '../limits';
import { BoundedNames } from './privacy/bounded-names';
import * as semconv from './semconv';
import type { MetricConventions, RunMetricInfo, ToolMetricInfo } from './conventions/conventions';
import { WORKSHOP_CONVENTIONS } from './conventions/workshop';

/** What an evaluation name must look like to be a metric attribute (the feedback route's rule). */
const EVALUATION_NAME_PATTERN = new RegExp(`^[\\w.:-]{1,${LIMITS.feedbackMaxNameLength}}$`);

/** The model a call went to: the only attributes model metrics carry, besides the outcome. */
export interface ModelMetricInfo {
  providerName: string;
  requestModel: string;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
}

/** How a piece of work ended: `errorType` set when it failed (`error.type`, low-cardinality). */
export interface Outcome {
  errorType?: string;
}

export interface RunOutcome extends Outcome, RunMetricInfo {
  /** How a successful run ended (`completed`, `max_steps`). */
  stoppedReason?: string;
}

export type McpSide = 'client' | 'server';

/**
 * The agent's metrics API, as `AgentTracer` is its span API: every instrument is created here,
 * once, with the convention's name, unit and recommended buckets (`advice`), and recorded through
 * one method per kind of work, called by that kind's recorder (`recorders/`). Attributes are few
 * and bounded on purpose: a provider, a model, a known tool name, an outcome. Never a user, session
 * or correlation id, task text or error message: each distinct value is a new time series that
 * Prometheus keeps in memory, and ids are what spans are for (they carry `user.id` and
 * `gen_ai.conversation.id`).
 *
 * Without a MeterProvider (`OTEL_SDK_DISABLED=true`, `OTEL_METRICS_EXPORTER=none`, unit tests) the
 * global meter is a no-op and every method costs a function call.
 */
export class AgentMetrics {
  private readonly tokens: TokenInstruments;
  private readonly operationDuration;
  private readonly toolDuration;
  private readonly agentDuration;
  private readonly mcpDuration;
  private readonly runs;
  private readonly retries;
  private readonly cost;
  private readonly timeToFirstChunk;
  private readonly feedbackScore;
  private readonly evaluationNames = new BoundedNames({
    max: LIMITS.feedbackMetricMaxNames,
    pattern: EVALUATION_NAME_PATTERN,
    other: semconv.OTHER_EVALUATION_NAME,
  });

  /** `conventions`: the names of the naming table's mode (conventions/conventions.ts). */
  constructor(
    meter: Meter = metrics.getMeter('traced-agent'),
    private readonly conventions: MetricConventions = WORKSHOP_CONVENTIONS.metrics,
  ) {
    const histogram = (
      name: string,
      unit: string,
      description: string,
      buckets: readonly number[],
    ) =>
      meter.createHistogram(name, {
        unit,
        description,
        advice: { explicitBucketBoundaries: [...buckets] },
      });
    this.tokens =
      conventions.tokens === 'histogram_by_type'
        ? tokensByType(histogram)
        : tokensByModality(meter, histogram);
    this.operationDuration = histogram(
      conventions.modelCallDuration,
      's',
      'Duration of a model call (its span, its retries included).',
      semconv.GEN_AI_OPERATION_DURATION_BUCKETS,
    );
    this.timeToFirstChunk = histogram(
      conventions.timeToFirstChunk,
      's',
      'Time from a streamed model request to its first chunk.',
      semconv.GEN_AI_OPERATION_DURATION_BUCKETS,
    );
    this.toolDuration = histogram(
      semconv.METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
      's',
      'Duration of a tool call.',
      semconv.GEN_AI_OPERATION_DURATION_BUCKETS,
    );
    this.agentDuration = histogram(
      semconv.METRIC_GEN_AI_INVOKE_AGENT_DURATION,
      's',
      'Duration of an agent run (its span).',
      semconv.GEN_AI_INVOKE_AGENT_DURATION_BUCKETS,
    );
    this.mcpDuration = {
      client: histogram(
        semconv.METRIC_MCP_CLIENT_OPERATION_DURATION,
        's',
        'Duration of an MCP request, as the client sees it.',
        semconv.MCP_OPERATION_DURATION_BUCKETS,
      ),
      server: histogram(
        semconv.METRIC_MCP_SERVER_OPERATION_DURATION,
        's',
        'Duration of an MCP request, as the server sees it.',
        semconv.MCP_OPERATION_DURATION_BUCKETS,
      ),
    };
    this.feedbackScore = histogram(
      semconv.METRIC_AGENT_FEEDBACK_SCORE,
      '1',
      'Scores of user feedback on runs, by evaluation name and agent.',
      semconv.FEEDBACK_SCORE_BUCKETS,
    );
    this.runs = meter.createCounter(semconv.METRIC_AGENT_RUNS, {
      unit: '{run}',
      description: 'Agent runs, by stop reason (agent.stopped_reason) or failure (error.type).',
      valueType: ValueType.INT,
    });
    this.retries = meter.createCounter(semconv.METRIC_LLM_RETRIES, {
      unit: '{retry}',
      description: 'Model call attempts retried, by the reason (error.type).',
      valueType: ValueType.INT,
    });
    this.cost = meter.createCounter(semconv.METRIC_LLM_COST, {
      unit: 'USD',
      description: 'What model calls cost, in US dollars, from the pricing table.',
    });
  }

  /** One model call (retries included): its duration, and how it ended. */
  recordModelCall(model: ModelMetricInfo, durationSeconds: number, { errorType }: Outcome): void {
    this.operationDuration.record(
      durationSeconds,
      defined({ ...modelAttributes(model), [semconv.ATTR_ERROR_TYPE]: errorType }),
    );
  }

  /**
   * How long a streamed model call took to its first chunk (the convention's
   * `gen_ai.client.operation.time_to_first_chunk`: streamed calls only), and how the call ended.
   */
  recordTimeToFirstChunk(model: ModelMetricInfo, seconds: number, { errorType }: Outcome): void {
    this.timeToFirstChunk.record(
      seconds,
      defined({ ...modelAttributes(model), [semconv.ATTR_ERROR_TYPE]: errorType }),
    );
  }

  /** The tokens one model call used, and what they cost when the model has a price. */
  recordModelUsage(model: ModelMetricInfo, tokens: TokenCounts, costUsd: number | undefined): void {
    const attributes = modelAttributes(model);
    this.tokens.record(tokens, attributes);
    if (costUsd !== undefined) this.cost.add(costUsd, attributes);
  }

  recordModelRetry(model: ModelMetricInfo, errorType: string): void {
    this.retries.add(1, { ...modelAttributes(model), [semconv.ATTR_ERROR_TYPE]: errorType });
  }

  /**
   * One tool call. `toolName` must already be bounded: a tool the model made up is
   * `UNKNOWN_TOOL_NAME`.
   */
  recordToolCall(tool: ToolMetricInfo, durationSeconds: number, { errorType }: Outcome): void {
    this.toolDuration.record(
      durationSeconds,
      defined({ ...this.conventions.toolAttributes(tool), [semconv.ATTR_ERROR_TYPE]: errorType }),
    );
  }

  /** One agent run: its duration and how it ended. */
  recordRun(durationSeconds: number, run: RunOutcome): void {
    const attributes = {
      ...this.conventions.runAttributes(run),
      [semconv.ATTR_ERROR_TYPE]: run.errorType,
    };
    this.agentDuration.record(durationSeconds, defined(attributes));
    this.runs.add(
      1,
      defined({ ...attributes, [semconv.ATTR_AGENT_STOPPED_REASON]: run.stoppedReason }),
    );
  }

  /**
   * A feedback score. The evaluation name is the caller's: the first names seen keep their value,
   * any beyond `LIMITS.feedbackMetricMaxNames` is counted as `other` (see `BoundedNames`).
   */
  recordFeedbackScore(agentName: string, evaluationName: string, score: number): void {
    this.feedbackScore.record(score, {
      [semconv.ATTR_GEN_AI_EVALUATION_NAME]: this.evaluationNames.of(evaluationName),
      [semconv.ATTR_GEN_AI_AGENT_NAME]: agentName,
    });
  }

  /** One MCP request, on either side. `toolName` must already be bounded, as for tools. */
  recordMcpCall(
    side: McpSide,
    call: { method: string; toolName: string },
    durationSeconds: number,
    { errorType }: Outcome,
  ): void {
    this.mcpDuration[side].record(
      durationSeconds,
      defined({
        [semconv.ATTR_MCP_METHOD_NAME]: call.method,
        [semconv.ATTR_GEN_AI_TOOL_NAME]: call.toolName,
        [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
        [semconv.ATTR_ERROR_TYPE]: errorType,
      }),
    );
  }
}

/**
 * Attributes without the unset ones: an `error.type` of `undefined` must be no attribute, not an
 * empty label.
 */
function defined(attributes: Record<string, string | undefined>): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes))
    if (value !== undefined) result[key] = value;
  return result;
}

function modelAttributes(model: ModelMetricInfo): Record<string, string> {
  return {
    [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_GENERATE_CONTENT,
    [semconv.ATTR_GEN_AI_PROVIDER_NAME]: model.providerName,
    [semconv.ATTR_GEN_AI_REQUEST_MODEL]: model.requestModel,
  };
}

type HistogramFactory = (
  name: string,
  unit: string,
  description: string,
  buckets: readonly number[],
) => Histogram;

/** How one model call's tokens are recorded, in the naming table's shape. */
interface TokenInstruments {
  record(tokens: TokenCounts, model: Attributes): void;
}

/** Tokens per model call, with the conventions' token buckets (the same in v1.41 and v0.1.0). */
const tokenHistogram = (histogram: HistogramFactory, name: string, description: string) =>
  histogram(name, '{token}', description, semconv.GEN_AI_TOKEN_USAGE_BUCKETS);

/** v1.41: one histogram, `gen_ai.token.type` = `input` or `output`. */
function tokensByType(histogram: HistogramFactory): TokenInstruments {
  const usage = tokenHistogram(
    histogram,
    semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
    'Tokens used per model call, by token type (input, output).',
  );
  return {
    record({ inputTokens, outputTokens }, model) {
      const type = semconv.ATTR_GEN_AI_TOKEN_TYPE;
      usage.record(inputTokens, { ...model, [type]: semconv.GEN_AI_TOKEN_TYPE_INPUT });
      usage.record(outputTokens, { ...model, [type]: semconv.GEN_AI_TOKEN_TYPE_OUTPUT });
    },
  };
}

/**
 * v0.1.0: counters of input and output tokens by `gen_ai.token.modality` (ours are all text), for
 * totals, and a histogram per direction, for the distribution per call.
 */
function tokensByModality(meter: Meter, histogram: HistogramFactory): TokenInstruments {
  const counter = (name: string, description: string) =>
    meter.createCounter(name, { unit: '{token}', description, valueType: ValueType.INT });
  const input = counter(
    semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
    'Input tokens used by model calls.',
  );
  const output = counter(
    semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
    'Output tokens used by model calls.',
  );
  const inputPerCall = tokenHistogram(
    histogram,
    semconv.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
    'Input tokens per model call.',
  );
  const outputPerCall = tokenHistogram(
    histogram,
    semconv.METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
    'Output tokens per model call.',
  );
  return {
    record({ inputTokens, outputTokens }, model) {
      const byModality = {
        ...model,
        [semconv.ATTR_GEN_AI_TOKEN_MODALITY]: semconv.GEN_AI_TOKEN_MODALITY_TEXT,
      };
      input.add(inputTokens, byModality);
      output.add(outputTokens, byModality);
      inputPerCall.record(inputTokens, model);
      outputPerCall.record(outputTokens, model);
    },
  };
}
