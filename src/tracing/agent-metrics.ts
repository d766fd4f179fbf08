import { metrics, ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { LIMITS } from '../limits';
import { BoundedNames } from './bounded-names';
import * as semconv from './semconv';

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

export interface RunOutcome extends Outcome {
  agentName: string;
  requestModel?: string;
  /** How a successful run ended (`completed`, `max_steps`). */
  stoppedReason?: string;
}

export type McpSide = 'client' | 'server';

/**
 * The agent's metrics API, as `AgentTracer` is its span API: every instrument is created here,
 * once, with the convention's name, unit and recommended buckets (`advice`), and recorded through
 * one method per kind of work. Attributes are few and bounded on purpose: a provider, a model, a
 * known tool name, an outcome. Never a user, session or correlation id, task text or error message:
 * each distinct value is a new time series that Prometheus keeps in memory, and ids are what spans
 * are for (they carry `user.id` and `gen_ai.conversation.id`).
 *
 * Without a MeterProvider (`OTEL_SDK_DISABLED=true`, `OTEL_METRICS_EXPORTER=none`, unit tests) the
 * global meter is a no-op and every method costs a function call.
 */
export class AgentMetrics {
  private readonly tokenUsage;
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

  constructor(meter: Meter = metrics.getMeter('traced-agent')) {
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
    this.tokenUsage = histogram(
      semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
      '{token}',
      'Tokens used per model call, by token type (input, output).',
      semconv.GEN_AI_TOKEN_USAGE_BUCKETS,
    );
    this.operationDuration = histogram(
      semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
      's',
      'Duration of a model call (an llm.generate span, its retries included).',
      semconv.GEN_AI_OPERATION_DURATION_BUCKETS,
    );
    this.timeToFirstChunk = histogram(
      semconv.METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
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
      'Duration of an agent run (an agent.task span).',
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
    this.tokenUsage.record(tokens.inputTokens, {
      ...attributes,
      [semconv.ATTR_GEN_AI_TOKEN_TYPE]: semconv.GEN_AI_TOKEN_TYPE_INPUT,
    });
    this.tokenUsage.record(tokens.outputTokens, {
      ...attributes,
      [semconv.ATTR_GEN_AI_TOKEN_TYPE]: semconv.GEN_AI_TOKEN_TYPE_OUTPUT,
    });
    if (costUsd !== undefined) this.cost.add(costUsd, attributes);
  }

  recordModelRetry(model: ModelMetricInfo, errorType: string): void {
    this.retries.add(1, { ...modelAttributes(model), [semconv.ATTR_ERROR_TYPE]: errorType });
  }

  /**
   * One tool call. `toolName` must already be bounded: a tool the model made up is
   * `UNKNOWN_TOOL_NAME`.
   */
  recordToolCall(toolName: string, durationSeconds: number, { errorType }: Outcome): void {
    this.toolDuration.record(
      durationSeconds,
      defined({
        [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_EXECUTE_TOOL,
        [semconv.ATTR_GEN_AI_TOOL_NAME]: toolName,
        [semconv.ATTR_ERROR_TYPE]: errorType,
      }),
    );
  }

  /** One agent run: its duration and how it ended. */
  recordRun(durationSeconds: number, run: RunOutcome): void {
    const attributes = {
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: semconv.GEN_AI_OPERATION_INVOKE_AGENT,
      [semconv.ATTR_GEN_AI_AGENT_NAME]: run.agentName,
      [semconv.ATTR_GEN_AI_REQUEST_MODEL]: run.requestModel,
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
